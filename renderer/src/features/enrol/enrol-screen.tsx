// The first-run wizard (issue 8): connect this laptop to head office — with the
// provisioning file branch IT put beside the installer, or by typing the server address
// and the one-time code — or run standalone on the demo ledger.
import { useState } from 'react';
import { Alert, Button, Card, Divider, Form, Input, Typography } from 'antd';
import {
  CloudServerOutlined,
  ExperimentOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SessionStateView } from '../../../../shared/api/sync-contract';
import type { ApiError } from '../../api/client';
import { useApiQuery } from '../../api/use-api-query';
import { useMutation } from '../../api/use-mutation';
import { LanguageSwitch } from '../../app/language-switch';
import { errorText } from '../../i18n/format';
import '../sync/sync.css';

function enrolErrorText(error: ApiError, t: TFunction): string {
  const reason = typeof error.params['reason'] === 'string' ? error.params['reason'] : null;
  if (reason) {
    const known = t(`enrol.reason.${reason}`, { defaultValue: '' });
    return t('enrol.failed', { reason: known || t('enrol.reason.other', { code: reason }) });
  }
  return t('enrol.failed', { reason: errorText(error, t) });
}

export function EnrolScreen({ onDone }: { onDone: (next: SessionStateView) => void }) {
  const { t } = useTranslation();
  const setup = useApiQuery('device.setup', {});
  const enrol = useMutation('device.enrol');
  const useDemo = useMutation('device.useDemo');
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState<string | null>(null);
  const name = deviceName ?? setup.data?.defaultDeviceName ?? '';
  const offer = setup.data?.provisioning ?? null;
  const busy = enrol.pending || useDemo.pending;

  const done = (next: SessionStateView | undefined) => {
    if (next) onDone(next);
  };

  return (
    <div className="fb-session-screen">
      <div className="fb-session-lang">
        <LanguageSwitch />
      </div>
      <div className="fb-enrol" data-testid="enrol-screen">
        <div className="fb-enrol-head">
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {t('enrol.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('enrol.subtitle')}</Typography.Text>
        </div>
        <div className="fb-enrol-grid">
          <Card
            title={
              <>
                <CloudServerOutlined /> {t('enrol.connectTitle')}
              </>
            }
          >
            {setup.data?.skipped.map((s) => (
              <Alert
                key={s.path}
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title={t('enrol.skipped', {
                  reason:
                    t(`enrol.provisioningError.${s.code}`, { defaultValue: '' }) ||
                    t('enrol.provisioningError.other', { code: s.code }),
                })}
                description={s.path}
              />
            ))}
            {offer && (
              <>
                <Alert
                  type="success"
                  showIcon
                  icon={<SafetyCertificateOutlined />}
                  title={t('enrol.provisioningFound')}
                  description={
                    <>
                      <div>
                        {t('enrol.provisioningBranch', {
                          branch: offer.branchName
                            ? `${offer.branchName} (${offer.branchCode})`
                            : offer.branchCode,
                        })}
                      </div>
                      <div>{t('enrol.provisioningServer', { server: offer.serverUrl })}</div>
                      <div>{t('enrol.fingerprint', { fingerprint: offer.fingerprint })}</div>
                      <Typography.Text type="secondary">
                        {t('enrol.fingerprintHint')}
                      </Typography.Text>
                      {offer.insecureHttp && <div>{t('enrol.insecure')}</div>}
                    </>
                  }
                />
                <Button
                  type="primary"
                  block
                  style={{ marginTop: 12 }}
                  loading={enrol.pending}
                  disabled={busy || !name}
                  onClick={() =>
                    void enrol.run({ provisioningFile: true, deviceName: name }).then(done)
                  }
                >
                  {t('enrol.useProvisioning')}
                </Button>
                <Divider plain>{t('enrol.orManual')}</Divider>
              </>
            )}
            <Form
              layout="vertical"
              requiredMark={false}
              onFinish={() => void enrol.run({ serverUrl, code, deviceName: name }).then(done)}
            >
              <Form.Item label={t('enrol.serverUrl')}>
                <Input
                  value={serverUrl}
                  onChange={(e) => setServerUrl(e.target.value)}
                  placeholder={t('enrol.serverUrlPlaceholder')}
                  data-testid="enrol-server"
                />
              </Form.Item>
              <Form.Item label={t('enrol.code')}>
                <Input
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  placeholder={t('enrol.codePlaceholder')}
                  data-testid="enrol-code"
                />
              </Form.Item>
              <Form.Item label={t('enrol.deviceName')}>
                <Input value={name} onChange={(e) => setDeviceName(e.target.value)} />
              </Form.Item>
              {enrol.error && (
                <Alert
                  type="error"
                  showIcon
                  style={{ marginBottom: 12 }}
                  title={enrolErrorText(enrol.error, t)}
                  data-testid="enrol-error"
                />
              )}
              <Button
                type={offer ? 'default' : 'primary'}
                htmlType="submit"
                block
                loading={enrol.pending}
                disabled={busy || !serverUrl || !code || !name}
              >
                {t('enrol.connect')}
              </Button>
            </Form>
          </Card>
          <Card
            title={
              <>
                <ExperimentOutlined /> {t('enrol.demoTitle')}
              </>
            }
          >
            <Typography.Paragraph type="secondary">{t('enrol.demoBody')}</Typography.Paragraph>
            {useDemo.error && (
              <Alert
                type="error"
                showIcon
                title={errorText(useDemo.error, t)}
                style={{ marginBottom: 12 }}
              />
            )}
            <Button
              block
              loading={useDemo.pending}
              disabled={busy}
              onClick={() => void useDemo.run({}).then(done)}
              data-testid="use-demo"
            >
              {t('enrol.useDemo')}
            </Button>
          </Card>
        </div>
      </div>
    </div>
  );
}
