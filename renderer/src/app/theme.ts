// A calm, dense theme for long working days: one blue, soft neutrals, CJK fonts first.
import type { ThemeConfig } from 'antd';

export const FONT_STACK =
  '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Hiragino Sans GB", system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1f5fbf',
    colorInfo: '#1f5fbf',
    colorSuccess: '#2f8f4e',
    colorWarning: '#c98a12',
    colorError: '#c8372d',
    colorBgLayout: '#f3f5f8',
    colorTextBase: '#1f2937',
    borderRadius: 6,
    fontFamily: FONT_STACK,
    fontSize: 14,
  },
  components: {
    Layout: { headerBg: '#ffffff', headerHeight: 56, headerPadding: '0 24px', bodyBg: '#f3f5f8' },
    Table: {
      headerBg: '#f7f8fa',
      headerColor: '#4b5563',
      rowHoverBg: '#f2f6fd',
      rowSelectedBg: '#e8f0fc',
      rowSelectedHoverBg: '#dde9fb',
      cellPaddingBlockMD: 8,
      cellPaddingInlineMD: 12,
    },
  },
};
