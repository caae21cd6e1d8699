// Offline sign-in on an enrolled laptop: user name and password checked against the
// verifiers synced from head office. Five wrong passwords lock that user for 15 minutes
// (the screen says until when); a locked screen asks the same user's password again and
// offers "switch user" for a colleague on a shared laptop.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Select, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SessionStateView, SignInResult } from '../../../../shared/api/sync-contract';
import { useMutation } from '../../api/use-mutation';
import { LanguageSwitch } from '../../app/language-switch';
import { ApiErrorAlert } from '../../components/api-error-alert';
import '../sync/sync.css';

interface Props {
  state: SessionStateView;
  onDone: (next: SessionStateView) => void;
  onSwitchUser: () => void;
}

function failureText(
  result: Exclude<SignInResult, { ok: true }>,
  lang: string,
  t: TFunction,
): string {
  if (result.reason === 'locked') {
    const time = new Date(result.lockedUntil).toLocaleTimeString(lang === 'en' ? 'en' : 'zh-CN', {
      hour: '2-digit',
      minute: '2-digit',
    });
    return t('session.lockedOut', { time });
  }
  if (result.reason === 'wrong_password')
    return t('session.wrongPassword', { count: result.failuresLeft });
  if (result.reason === 'user_disabled') return t('session.userDisabled');
  return t('session.unknownUser');
}

export function SignInScreen({ state, onDone, onSwitchUser }: Props) {
  const { t, i18n } = useTranslation();
  const signIn = useMutation('session.signIn');
  const [failure, setFailure] = useState<string | null>(null);
  const unlocking = state.locked && state.signedIn !== null;
  const [login, setLogin] = useState<string>(state.signedIn?.login ?? state.users[0]?.login ?? '');
  const [password, setPassword] = useState('');

  const submit = async () => {
    setFailure(null);
    const result = await signIn.run({ login, password });
    if (!result) return;
    if (result.ok) {
      setPassword('');
      onDone(result.state);
    } else {
      setPassword('');
      setFailure(failureText(result, i18n.language, t));
    }
  };

  return (
    <div className="fb-session-screen">
      <div className="fb-session-lang">
        <LanguageSwitch />
      </div>
      <Card
        className="fb-session-card"
        title={unlocking ? t('session.unlockTitle') : t('session.signInTitle')}
        data-testid="sign-in-screen"
      >
        {unlocking && (
          <Typography.Paragraph>
            {t('session.unlockHint', { name: state.signedIn?.name ?? '' })}
          </Typography.Paragraph>
        )}
        {state.users.length === 0 && <Alert type="warning" showIcon title={t('session.noUsers')} />}
        <Form layout="vertical" onFinish={() => void submit()} requiredMark={false}>
          {!unlocking && (
            <Form.Item label={t('session.login')}>
              <Select
                showSearch
                value={login || undefined}
                onChange={setLogin}
                options={state.users.map((u) => ({
                  value: u.login,
                  label: `${u.name} · ${t(`app.roles.${u.role}`)} (${u.login})`,
                }))}
                data-testid="sign-in-login"
              />
            </Form.Item>
          )}
          <Form.Item label={t('session.password')}>
            <Input.Password
              autoFocus
              prefix={<LockOutlined />}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              data-testid="sign-in-password"
            />
          </Form.Item>
          {failure && (
            <Alert
              type="error"
              showIcon
              title={failure}
              style={{ marginBottom: 16 }}
              data-testid="sign-in-failure"
            />
          )}
          {signIn.error && <ApiErrorAlert title={t('session.signInTitle')} error={signIn.error} />}
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={signIn.pending}
            disabled={!login || !password}
          >
            {unlocking ? t('session.unlock') : t('session.signIn')}
          </Button>
        </Form>
        <div style={{ display: 'flex', justifyContent: 'space-between', marginTop: 16 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('session.offlineHint')}
          </Typography.Text>
          {unlocking && (
            <Button type="link" size="small" onClick={onSwitchUser}>
              {t('session.switchUser')}
            </Button>
          )}
        </div>
      </Card>
    </div>
  );
}
