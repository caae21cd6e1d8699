import type { ReactNode } from 'react';
import { Empty, Tag, Typography } from 'antd';
import { EnvironmentOutlined, MobileOutlined, PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ContactPointView } from '../../../../shared/api/contract';
import { formatPhone } from '../../i18n/format';

const KIND_ICONS: Record<ContactPointView['kind'], ReactNode> = {
  mobile: <MobileOutlined />,
  landline: <PhoneOutlined />,
  address: <EnvironmentOutlined />,
};

export function ContactPointsList({ points }: { points: ContactPointView[] }) {
  const { t } = useTranslation();
  if (points.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('caseFile.noContacts')} />;
  return (
    <ul className="fb-contact-points" data-testid="contact-points">
      {points.map((p) => (
        <li key={p.id} className={p.status === 'invalid' ? 'fb-contact-invalid' : undefined}>
          <span className="fb-contact-icon" aria-label={t(`caseFile.contactKind.${p.kind}`)}>
            {KIND_ICONS[p.kind]}
          </span>
          <span className="fb-contact-value fb-num">
            {p.kind === 'address' ? p.value : formatPhone(p.value)}
          </span>
          <span className="fb-contact-party">
            {t(`party.${p.party}`)}
            {p.name ? ` · ${p.name}` : ''}
            {p.relation && p.party !== 'borrower'
              ? t('caseFile.relation', { relation: p.relation })
              : ''}
          </span>
          {p.status === 'invalid' && (
            <Tag variant="filled" color="default">
              {t('caseFile.contactInvalid')}
            </Tag>
          )}
          <Typography.Text type="secondary" className="fb-contact-kind">
            {t(`caseFile.contactKind.${p.kind}`)}
          </Typography.Text>
        </li>
      ))}
    </ul>
  );
}
