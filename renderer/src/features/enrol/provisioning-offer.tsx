// What a verified provisioning file says, as the wizard shows it before enrolling: head
// office's address, the branch, the laptop's default language and the signing key's
// fingerprint to compare with what branch IT was given. Never the enrolment code.
import { Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ProvisioningOffer } from '../../../../shared/api/sync-contract';

export function ProvisioningOfferView({
  offer,
  title,
  testId,
}: {
  offer: ProvisioningOffer;
  title: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const branch = offer.branchName ? `${offer.branchName} (${offer.branchCode})` : offer.branchCode;
  const language =
    offer.defaultLanguage &&
    t(`enrol.languageName.${offer.defaultLanguage}`, { defaultValue: offer.defaultLanguage });
  return (
    <section className="fb-enrol-offer" data-testid={testId} aria-label={title}>
      <div className="fb-enrol-offer-title">
        <SafetyCertificateOutlined aria-hidden /> {title}
      </div>
      <dl>
        <dt>{t('enrol.offerBranch')}</dt>
        <dd>{branch}</dd>
        <dt>{t('enrol.offerServer')}</dt>
        <dd>{offer.serverUrl}</dd>
        {language && (
          <>
            <dt>{t('enrol.offerLanguage')}</dt>
            <dd>{language}</dd>
          </>
        )}
        <dt>{t('enrol.offerFingerprint')}</dt>
        <dd className="fb-enrol-offer-fingerprint">{offer.fingerprint}</dd>
      </dl>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('enrol.fingerprintHint')}
      </Typography.Text>
      {offer.insecureHttp && (
        <Typography.Text type="warning" style={{ display: 'block', fontSize: 12 }}>
          {t('enrol.insecure')}
        </Typography.Text>
      )}
    </section>
  );
}
