// The worklist's "nothing to do today" — unless the laptop has not finished its first
// download from head office yet, when an empty list means "not here yet", not "done".
// Asked once when the empty list shows and again after every successful sync (the data
// version bumps then), so it turns into the cases as soon as they land.
import { Empty, Spin, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/use-api-query';
import { useDataVersion } from '../../app/data-version';

export function WorklistEmptyAll() {
  const { t } = useTranslation();
  const { version } = useDataVersion();
  const query = useApiQuery('sync.status', {});
  const { reload } = query;
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  const status = query.data;
  const downloading =
    status !== undefined &&
    status.mode === 'enrolled' &&
    (status.firstDownload !== null || status.lastSuccessAt === null);
  if (downloading) {
    return (
      <div className="fb-wl-empty fb-wl-downloading" data-testid="worklist-downloading">
        <Spin />
        <Typography.Text type="secondary">{t('worklist.downloading')}</Typography.Text>
      </div>
    );
  }
  return (
    <div className="fb-wl-empty">
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('worklist.emptyAll')} />
    </div>
  );
}
