// Logging a contact: the channel, whom the officer reached, at which number or address,
// what came of it, a note and the next step; for a visit the second collector; a promise
// taken on the spot. The conduct rules are asked before anything is sent (contact.check
// on every change of channel, person, contact point or collector): a blocked contact says
// why and when it will be allowed, and goes ahead only with a written reason that is
// flagged for the manager.
import { useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Drawer,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Tag,
  Tooltip,
} from 'antd';
import {
  CheckCircleFilled,
  ClockCircleFilled,
  EnvironmentOutlined,
  MailOutlined,
  MessageOutlined,
  PhoneOutlined,
  StopFilled,
  WarningFilled,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CaseFile, OpInput, RecordedFact } from '../../../../shared/api/contract';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  type ContactChannel,
  type ContactOutcome,
  type ContactParty,
  type IsoDate,
} from '../../../../shared/domain/types';
import { useMutation } from '../../api/use-mutation';
import { useAppInfo } from '../../app/app-info';
import { mark, PERF } from '../../app/perf';
import { usePolicy } from '../../app/policy';
import { useFormatContext } from '../../app/use-format';
import { DateField } from '../../components/date-field';
import { MoneyInput, positiveFen } from '../../components/money-input';
import { formatPhone } from '../../i18n/format';
import { NoteWordingWarning } from '../note/note-wording-warning';
import { ConductErrorAlert } from './conduct-error-alert';
import { checkSummary, nextAllowedText } from './conduct-words';
import { defaultPointFor, pointFits, pointsFor } from './contact-points';
import { useContactChecks } from './use-contact-checks';

export const CHANNEL_ICONS: Record<ContactChannel, React.ReactNode> = {
  visit: <EnvironmentOutlined />,
  call: <PhoneOutlined />,
  sms: <MessageOutlined />,
  letter: <MailOutlined />,
};

/** Reaching nobody can only end in these. */
const NOBODY_OUTCOMES: readonly ContactOutcome[] = [
  'no_answer',
  'unreachable',
  'wrong_number',
  'moved_away',
  'deceased',
];

/** Minimum length of an override reason (the contract's rule). */
export const OVERRIDE_MIN_CHARS = 10;

interface FormValues {
  outcome?: ContactOutcome;
  note?: string;
  nextActionDate?: IsoDate | null;
  promiseAmount?: string;
  promiseDueDate?: IsoDate | null;
}

export interface ContactFormProps {
  file: CaseFile;
  channel: ContactChannel;
  onClose: () => void;
  onRecorded: (
    fact: RecordedFact,
    what: { channel: ContactChannel; outcome: ContactOutcome; override: boolean },
  ) => void;
}

export function ContactForm({
  file,
  channel: initialChannel,
  onClose,
  onRecorded,
}: ContactFormProps) {
  const { t } = useTranslation();
  const ctx = useFormatContext();
  const info = useAppInfo();
  const pack = usePolicy();
  const [form] = Form.useForm<FormValues>();
  const [channel, setChannel] = useState<ContactChannel>(initialChannel);
  const [party, setParty] = useState<ContactParty>('borrower');
  const [pointId, setPointId] = useState<string | undefined>(() =>
    defaultPointFor(file.contactPoints, initialChannel, 'borrower'),
  );
  const [secondCollectorId, setSecondCollectorId] = useState<string | undefined>(undefined);
  const [overrideOn, setOverrideOn] = useState(false);
  const [overrideReason, setOverrideReason] = useState('');
  const outcome = Form.useWatch('outcome', form);
  const note = Form.useWatch('note', form);
  const record = useMutation('contact.record');

  const choosePlan = (next: { channel?: ContactChannel; party?: ContactParty }) => {
    const c = next.channel ?? channel;
    const p = next.party ?? party;
    setChannel(c);
    setParty(p);
    if (!pointFits(file.contactPoints, pointId, c, p))
      setPointId(defaultPointFor(file.contactPoints, c, p));
    if (p === 'nobody' && outcome && !NOBODY_OUTCOMES.includes(outcome))
      form.setFieldValue('outcome', undefined);
  };

  // One check per channel, so every channel button can say whether it is open now.
  const checkInputs = useMemo(() => {
    const inputs: Partial<Record<ContactChannel, OpInput<'contact.check'>>> = {};
    for (const c of CONTACT_CHANNELS) {
      const point = pointFits(file.contactPoints, pointId, c, party)
        ? pointId
        : defaultPointFor(file.contactPoints, c, party);
      inputs[c] = {
        caseId: file.caseId,
        channel: c,
        party,
        ...(point ? { contactPointId: point } : {}),
        ...(c === 'visit' && secondCollectorId ? { secondCollectorId } : {}),
      };
    }
    return inputs;
  }, [file.caseId, file.contactPoints, party, pointId, secondCollectorId]);
  const {
    checks,
    checkedKey,
    key,
    error: checkError,
  } = useContactChecks(checkInputs, record.error ? 1 : 0);
  const check = checkedKey === key ? checks[channel] : undefined;
  const checking = checkedKey !== key;

  const points = pointsFor(file.contactPoints, channel, party);
  const collectors = info.officers.filter((o) => o.id !== info.currentUser.id);
  const needsCollector = pack?.channels[channel].secondCollectorRequired ?? channel === 'visit';
  const overrideReady = overrideReason.trim().length >= OVERRIDE_MIN_CHARS;
  const blocked = check !== undefined && !check.allowed;
  const canSubmit =
    !record.pending && check !== undefined && (!blocked || (overrideOn && overrideReady));
  const outcomes = party === 'nobody' ? NOBODY_OUTCOMES : CONTACT_OUTCOMES;
  const thirdPartyNotice = check?.notices.some((n) => n.code === 'do_not_disclose_debt');

  const submit = async (values: FormValues) => {
    if (!values.outcome || !check) return;
    const promiseFen = positiveFen(values.promiseAmount);
    const input: OpInput<'contact.record'> = {
      caseId: file.caseId,
      channel,
      party,
      outcome: values.outcome,
      ...(pointId ? { contactPointId: pointId } : {}),
      ...(values.note?.trim() ? { note: values.note.trim() } : {}),
      ...(values.nextActionDate ? { nextActionDate: values.nextActionDate } : {}),
      ...(channel === 'visit' && secondCollectorId ? { secondCollectorId } : {}),
      ...(values.outcome === 'promise_to_pay' && promiseFen !== null && values.promiseDueDate
        ? { promise: { amountFen: promiseFen, dueDate: values.promiseDueDate } }
        : {}),
      ...(blocked && overrideOn ? { override: { reason: overrideReason.trim() } } : {}),
    };
    const fact = await record.run(input);
    if (fact)
      onRecorded(fact, { channel, outcome: values.outcome, override: Boolean(input.override) });
  };

  return (
    <Drawer
      open
      onClose={onClose}
      size={640}
      title={t('contact.title', { name: file.borrower.name })}
      data-testid="contact-form"
      className="fb-form-drawer"
      destroyOnHidden
      footer={
        <div className="fb-drawer-footer">
          {blocked && !overrideOn && (
            <span className="fb-footer-hint" data-testid="contact-blocked-hint">
              <StopFilled /> {t('contact.blockedHint')}
            </span>
          )}
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              danger={blocked && overrideOn}
              disabled={!canSubmit}
              loading={record.pending}
              data-testid="contact-submit"
              onClick={() => {
                mark(PERF.contactSubmit);
                form.submit();
              }}
            >
              {blocked && overrideOn ? t('contact.submitOverride') : t('contact.submit')}
            </Button>
          </Space>
        </div>
      }
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark="optional"
        className="fb-form"
      >
        <Form.Item label={t('contact.channel')} required>
          <Radio.Group
            value={channel}
            onChange={(e) => choosePlan({ channel: e.target.value as ContactChannel })}
            optionType="button"
            buttonStyle="solid"
            className="fb-channel-picker"
            data-testid="channel-picker"
          >
            {CONTACT_CHANNELS.map((c) => {
              const cc = checkedKey === key ? checks[c] : undefined;
              const shut = cc?.violations.some((v) => v.code !== 'second_collector_required');
              const why =
                cc && shut ? checkSummary(cc, c, ctx, ['second_collector_required']) : undefined;
              return (
                <Tooltip key={c} title={why}>
                  <Radio.Button
                    value={c}
                    data-testid={`channel-${c}`}
                    className={shut ? 'fb-channel-shut' : undefined}
                  >
                    <span className="fb-channel-option">
                      {CHANNEL_ICONS[c]}
                      {t(`actions.channel.${c}`)}
                      {shut && (
                        <ClockCircleFilled className="fb-channel-shut-icon" aria-label={why} />
                      )}
                    </span>
                  </Radio.Button>
                </Tooltip>
              );
            })}
          </Radio.Group>
        </Form.Item>

        <div className="fb-form-row">
          <Form.Item label={t('contact.party')} required>
            <Select<ContactParty>
              value={party}
              onChange={(p) => choosePlan({ party: p })}
              data-testid="contact-party"
              options={CONTACT_PARTIES.map((p) => ({ value: p, label: t(`party.${p}`) }))}
            />
          </Form.Item>

          <Form.Item
            label={t(
              channel === 'visit' || channel === 'letter' ? 'contact.address' : 'contact.number',
            )}
            help={points.length === 0 ? t('contact.noPoints') : undefined}
          >
            <Select<string>
              value={pointId}
              onChange={setPointId}
              allowClear
              data-testid="contact-point"
              placeholder={t('contact.pointPlaceholder')}
              options={points.map((p) => ({
                value: p.id,
                disabled: p.status === 'invalid',
                label: (
                  <span className="fb-point-option">
                    <span className="fb-num">
                      {p.kind === 'address' ? p.value : formatPhone(p.value)}
                    </span>
                    {p.name && <span className="fb-secondary">{p.name}</span>}
                    {p.status === 'invalid' && <Tag>{t('caseFile.contactInvalid')}</Tag>}
                  </span>
                ),
              }))}
            />
          </Form.Item>
        </div>

        <div className="fb-form-row">
          {channel === 'visit' && (
            <Form.Item
              label={t('contact.secondCollector')}
              required={needsCollector}
              tooltip={t('contact.secondCollectorHelp')}
            >
              <Select<string>
                value={secondCollectorId}
                onChange={setSecondCollectorId}
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="second-collector"
                placeholder={t('contact.secondCollectorPlaceholder')}
                options={collectors.map((o) => ({ value: o.id, label: o.name }))}
              />
            </Form.Item>
          )}
          <Form.Item
            name="outcome"
            label={t('contact.outcome')}
            rules={[{ required: true, message: t('contact.outcomeRequired') }]}
          >
            <Select<ContactOutcome>
              data-testid="contact-outcome"
              placeholder={t('contact.outcomePlaceholder')}
              options={outcomes.map((o) => ({ value: o, label: t(`outcome.${o}`) }))}
            />
          </Form.Item>
        </div>

        <ConductStatus check={check} checking={checking} channel={channel} error={checkError} />
        {thirdPartyNotice && (
          <Alert
            type="warning"
            showIcon
            icon={<WarningFilled />}
            className="fb-form-alert"
            data-testid="third-party-notice"
            title={t('conduct.notice.do_not_disclose_debt')}
            description={t('conduct.notice.do_not_disclose_debt_help')}
          />
        )}
        {blocked && (
          <div className="fb-override" data-testid="override">
            <Checkbox
              checked={overrideOn}
              onChange={(e) => setOverrideOn(e.target.checked)}
              data-testid="override-toggle"
            >
              {t('contact.overrideToggle')}
            </Checkbox>
            {overrideOn && (
              <>
                <Alert
                  type="error"
                  className="fb-form-alert"
                  showIcon
                  title={t('contact.overrideWarning')}
                />
                <Input.TextArea
                  data-testid="override-reason"
                  value={overrideReason}
                  onChange={(e) => setOverrideReason(e.target.value)}
                  rows={2}
                  maxLength={1000}
                  placeholder={t('contact.overridePlaceholder')}
                  status={overrideReason && !overrideReady ? 'error' : undefined}
                />
                <div className="fb-secondary">
                  {overrideReady
                    ? t('contact.overrideReady')
                    : t('contact.overrideMin', {
                        count: OVERRIDE_MIN_CHARS,
                        typed: overrideReason.trim().length,
                      })}
                </div>
              </>
            )}
          </div>
        )}

        {outcome === 'promise_to_pay' && (
          <div className="fb-inline-promise" data-testid="inline-promise">
            <Form.Item
              name="promiseAmount"
              label={t('promise.amount')}
              rules={[
                { required: true, message: t('promise.amountRequired') },
                {
                  validator: (_r, v: string | undefined) =>
                    !v || positiveFen(v) !== null
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('money.invalid'))),
                },
              ]}
            >
              <MoneyInput testId="promise-amount" />
            </Form.Item>
            <Form.Item
              name="promiseDueDate"
              label={t('promise.dueDate')}
              rules={[{ required: true, message: t('promise.dueDateRequired') }]}
            >
              <DateField min={info.today} testId="promise-due-date" />
            </Form.Item>
          </div>
        )}

        <Form.Item name="note" label={t('contact.note')}>
          <Input.TextArea
            rows={2}
            maxLength={2000}
            showCount
            data-testid="contact-note"
            placeholder={t('contact.notePlaceholder')}
          />
        </Form.Item>
        <NoteWordingWarning text={note} />

        <div className="fb-form-row">
          <Form.Item name="nextActionDate" label={t('contact.nextActionDate')}>
            <DateField min={info.today} testId="next-action-date" />
          </Form.Item>
        </div>

        {record.error && <ConductErrorAlert error={record.error} channel={channel} />}
      </Form>
    </Drawer>
  );
}

function ConductStatus({
  check,
  checking,
  channel,
  error,
}: {
  check: ReturnType<typeof useContactChecks>['checks'][ContactChannel];
  checking: boolean;
  channel: ContactChannel;
  error: ReturnType<typeof useContactChecks>['error'];
}) {
  const { t } = useTranslation();
  const ctx = useFormatContext();
  if (error)
    return (
      <Alert
        type="warning"
        showIcon
        className="fb-form-alert"
        title={t('conduct.checkFailed')}
        data-testid="conduct-status"
      />
    );
  if (!check)
    return (
      <div className="fb-conduct-pending fb-secondary" data-testid="conduct-status" aria-busy>
        {t('conduct.checking')}
      </div>
    );
  if (check.allowed)
    return (
      <div
        className={`fb-conduct-ok${checking ? ' fb-stale' : ''}`}
        data-testid="conduct-status"
        data-allowed="true"
      >
        <CheckCircleFilled /> {t(`conduct.allowed.${channel}`)}
      </div>
    );
  const next = nextAllowedText(check, channel, ctx);
  return (
    <Alert
      type="error"
      showIcon
      icon={<StopFilled />}
      className={`fb-form-alert${checking ? ' fb-stale' : ''}`}
      data-testid="conduct-status"
      data-allowed="false"
      title={t(`conduct.blockedTitle.${channel}`)}
      description={
        <ul className="fb-violations">
          {check.violations.map((v, i) => (
            <li key={i} data-testid="conduct-violation" data-code={v.code}>
              {checkSummary({ ...check, violations: [v], nextAllowedLocal: null }, channel, ctx)}
            </li>
          ))}
          {next && (
            <li className="fb-next-allowed" data-testid="conduct-next-allowed">
              <ClockCircleFilled /> {next}
            </li>
          )}
        </ul>
      }
    />
  );
}
