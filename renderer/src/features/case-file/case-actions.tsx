// What the officer can do on a case: the four contact channels (each saying whether the
// conduct rules allow it right now, and if not, why and when), then promise, payment,
// hardship plan and note.
import { memo, useMemo } from 'react';
import { Button, Tooltip } from 'antd';
import {
  ClockCircleFilled,
  DollarOutlined,
  EditOutlined,
  FileProtectOutlined,
  HeartOutlined,
  ScheduleOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CaseFile, OpInput } from '../../../../shared/api/contract';
import { CONTACT_CHANNELS, type ContactChannel } from '../../../../shared/domain/types';
import { useAppInfo } from '../../app/app-info';
import { useFormatContext } from '../../app/use-format';
import { checkSummary } from '../contact/conduct-words';
import { CHANNEL_ICONS } from '../contact/contact-form';
import { defaultPointFor } from '../contact/contact-points';
import { useContactChecks } from '../contact/use-contact-checks';

export type CaseAction = ContactChannel | 'promise' | 'payment' | 'plan' | 'note';

/** Rules the form itself settles (choosing the second collector): not a reason the channel is closed. */
const FORM_SETTLES = ['second_collector_required'] as const;

export const CaseActions = memo(function CaseActions({
  file,
  onAction,
  refresh,
}: {
  file: CaseFile;
  onAction: (action: CaseAction) => void;
  /** Bumped after each recorded fact: caps and counts may have changed. */
  refresh: number;
}) {
  const { t } = useTranslation();
  const ctx = useFormatContext();
  const info = useAppInfo();
  // The buttons answer "could I make this contact now?": a visit is asked about as if a
  // colleague came along (the form asks who), so only rules the officer cannot settle show.
  const colleague = info.officers.find((o) => o.id !== info.currentUser.id)?.id;
  const inputs = useMemo(() => {
    const out: Partial<Record<ContactChannel, OpInput<'contact.check'>>> = {};
    for (const c of CONTACT_CHANNELS) {
      const point = defaultPointFor(file.contactPoints, c, 'borrower');
      out[c] = {
        caseId: file.caseId,
        channel: c,
        party: 'borrower',
        ...(point ? { contactPointId: point } : {}),
        ...(c === 'visit' && colleague ? { secondCollectorId: colleague } : {}),
      };
    }
    return out;
  }, [file.caseId, file.contactPoints, colleague]);
  const { checks, checkedKey, key } = useContactChecks(inputs, refresh);
  const current = checkedKey === key ? checks : {};
  const closed = CONTACT_CHANNELS.flatMap((c) => {
    const check = current[c];
    if (
      !check ||
      !check.violations.some((v) => !(FORM_SETTLES as readonly string[]).includes(v.code))
    )
      return [];
    return [{ channel: c, why: checkSummary(check, c, ctx, FORM_SETTLES) }];
  });

  return (
    <div className="fb-case-actions" data-testid="case-actions">
      <div className="fb-case-action-row">
        {CONTACT_CHANNELS.map((c) => {
          const shut = closed.find((x) => x.channel === c);
          return (
            <Tooltip key={c} title={shut?.why}>
              <Button
                icon={CHANNEL_ICONS[c]}
                onClick={() => onAction(c)}
                data-testid={`action-${c}`}
                data-available={shut ? 'false' : 'true'}
                className={shut ? 'fb-action-shut' : undefined}
              >
                {t(`actions.channel.${c}`)}
                {shut && <ClockCircleFilled className="fb-channel-shut-icon" />}
              </Button>
            </Tooltip>
          );
        })}
        <span className="fb-action-divider" aria-hidden />
        <Button
          icon={<ScheduleOutlined />}
          onClick={() => onAction('promise')}
          data-testid="action-promise"
        >
          {t('actions.promise')}
        </Button>
        <Button
          type="primary"
          icon={<DollarOutlined />}
          onClick={() => onAction('payment')}
          data-testid="action-payment"
        >
          {t('actions.payment')}
        </Button>
        <Button icon={<HeartOutlined />} onClick={() => onAction('plan')} data-testid="action-plan">
          {t('actions.plan')}
        </Button>
        <Button icon={<EditOutlined />} onClick={() => onAction('note')} data-testid="action-note">
          {t('actions.note')}
        </Button>
      </div>
      {closed.length > 0 && (
        <div className="fb-channel-closed" data-testid="channels-closed">
          <FileProtectOutlined />
          {closed.map((x) => (
            <span key={x.channel} data-testid={`closed-${x.channel}`}>
              {/* The English sentence names the channel itself ("Calls are not allowed …"). */}
              {ctx.lang === 'zh-CN' && <strong>{t(`actions.channel.${x.channel}`)} </strong>}
              {x.why}
            </span>
          ))}
        </div>
      )}
    </div>
  );
});
