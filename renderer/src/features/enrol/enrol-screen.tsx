// The first-run wizard (issue 8): connect this laptop to head office — with the
// provisioning file branch IT put beside the installer, one opened from a USB stick or a
// mail ("Open provisioning file…"), or by typing the server address and the one-time code —
// or run standalone on the demo ledger.
import { useState } from 'react';
import { Alert, Button, Card, Divider, Form, Input, Typography } from 'antd';
import { CloudServerOutlined, ExperimentOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { SessionStateView } from '../../../../shared/api/sync-contract';
import { useApiQuery } from '../../api/use-api-query';
import { useMutation } from '../../api/use-mutation';
import { LanguageSwitch } from '../../app/language-switch';
import { errorText } from '../../i18n/format';
import { enrolErrorText, provisioningErrorText } from './enrol-errors';
import { ProvisioningOfferView } from './provisioning-offer';
import { useOpenedProvisioningFile } from './use-opened-file';
import '../sync/sync.css';

interface Props {
  onDone: (next: SessionStateView) => void;
  /** Head office revoked this computer and its ledger was deleted: say so first. */
  wipedAt?: string | null;
}

export function EnrolScreen({ onDone, wipedAt = null }: Props) {
  const { t } = useTranslation();
  const setup = useApiQuery('device.setup', {});
  const enrol = useMutation('device.enrol');
  const useDemo = useMutation('device.useDemo');
  const file = useOpenedProvisioningFile();
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState<string | null>(null);
  const [manualOpen, setManualOpen] = useState(false);
  const [lastAttempt, setLastAttempt] = useState<'file' | 'manual'>('manual');
  const name = deviceName ?? setup.data?.defaultDeviceName ?? '';
  // A file the user opened wins over one found beside the installer.
  const discovered = setup.data?.provisioning ?? null;
  const offer = file.opened?.offer ?? discovered;
  const showManual = !offer || manualOpen;
  const busy = enrol.pending || useDemo.pending || file.checking;

  const done = (next: SessionStateView | undefined) => {
    if (next) onDone(next);
  };
  const enrolWithFile = () => {
    setLastAttempt('file');
    void enrol
      .run(
        file.opened
          ? { provisioningPath: file.opened.file, deviceName: name }
          : { provisioningFile: true, deviceName: name },
      )
      .then(done);
  };
  const enrolByHand = () => {
    setLastAttempt('manual');
    void enrol.run({ serverUrl, code, deviceName: name }).then(done);
  };
  const errorAlert = enrol.error && (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      title={enrolErrorText(enrol.error, t)}
      data-testid="enrol-error"
    />
  );

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
        {wipedAt && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('enrol.wipedTitle')}
            description={t('enrol.wipedBody')}
            data-testid="enrol-wiped"
          />
        )}
        <div className="fb-enrol-grid">
          <Card
            title={
              <>
                <CloudServerOutlined /> {t('enrol.connectTitle')}
              </>
            }
            extra={
              <Button
                type="link"
                size="small"
                icon={<FolderOpenOutlined />}
                loading={file.checking}
                disabled={enrol.pending || useDemo.pending}
                onClick={file.open}
                data-testid="open-provisioning-file"
              >
                {file.opened ? t('enrol.openAnotherFile') : t('enrol.openFile')}
              </Button>
            }
          >
            {setup.data?.skipped.map((s) => (
              <Alert
                key={s.path}
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title={t('enrol.skipped', { reason: provisioningErrorText(s.code, t) })}
                description={s.path}
              />
            ))}
            {file.refusal && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 12 }}
                title={file.refusal}
                data-testid="provisioning-file-error"
              />
            )}
            {offer && (
              <>
                <ProvisioningOfferView
                  offer={offer}
                  title={file.opened ? t('enrol.fileOpened') : t('enrol.provisioningFound')}
                  testId={file.opened ? 'provisioning-opened' : 'provisioning-found'}
                />
                <div style={{ marginTop: 12 }}>{lastAttempt === 'file' && errorAlert}</div>
                <Button
                  type="primary"
                  block
                  loading={enrol.pending && lastAttempt === 'file'}
                  disabled={busy || !name}
                  onClick={enrolWithFile}
                  data-testid="enrol-with-file"
                >
                  {t('enrol.useProvisioning')}
                </Button>
                {!manualOpen && (
                  <Button
                    type="link"
                    block
                    style={{ marginTop: 8 }}
                    onClick={() => setManualOpen(true)}
                    data-testid="enrol-manual"
                  >
                    {t('enrol.typeInstead')}
                  </Button>
                )}
                {manualOpen && <Divider plain>{t('enrol.orManual')}</Divider>}
              </>
            )}
            {showManual && (
              <Form layout="vertical" requiredMark={false} onFinish={enrolByHand}>
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
                {lastAttempt === 'manual' && errorAlert}
                <Button
                  type={offer ? 'default' : 'primary'}
                  htmlType="submit"
                  block
                  loading={enrol.pending && lastAttempt === 'manual'}
                  disabled={busy || !serverUrl || !code || !name}
                  data-testid="enrol-connect"
                >
                  {t('enrol.connect')}
                </Button>
              </Form>
            )}
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
