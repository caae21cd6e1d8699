import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PromiseStatus } from '../../../shared/domain/types';

const COLORS: Record<PromiseStatus, string> = {
  pending: 'processing',
  kept: 'success',
  partly_kept: 'warning',
  broken: 'error',
};

export function PromiseStatusTag({ status }: { status: PromiseStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} className="fb-status-tag" variant="filled">
      {t(`promiseStatus.${status}`)}
    </Tag>
  );
}
