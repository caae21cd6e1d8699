// A payment receipt laid out for print, in Chinese or English whatever the screen's
// language (the borrower may read the other one): branch, receipt number, borrower, loan,
// the amount in figures and, in Chinese, in capitals (大写), method, collector and the
// time on the branch's clock. A reversed payment's receipt carries a watermark.
import type { TFunction } from 'i18next';
import type { Receipt } from '../../../../shared/api/contract';
import { formatIsoDate, formatMinuteOfDay, localDateTime } from '../../../../shared/dates';
import { i18n, type Language } from '../../i18n';
import { money } from '../../i18n/format';
import { amountInChineseCapitals } from './chinese-capitals';

export function receiptTime(instant: string, timeZone: string, lang: Language): string {
  const local = localDateTime(instant, timeZone);
  const zone = lang === 'zh-CN' ? `（${timeZone}）` : ` (${timeZone})`;
  return `${formatIsoDate(local.date, lang)} ${formatMinuteOfDay(local.minuteOfDay)}${zone}`;
}

export interface ReceiptViewProps {
  receipt: Receipt;
  lang: Language;
  timeZone: string;
  testId?: string;
}

export function ReceiptView({ receipt: r, lang, timeZone, testId }: ReceiptViewProps) {
  const t: TFunction = i18n.getFixedT(lang);
  const reversed = r.reversal !== null;
  const row = (label: string, value: React.ReactNode, key: string) => (
    <div className="fb-receipt-row" key={key}>
      <span className="fb-receipt-label">{label}</span>
      <span className="fb-receipt-value" data-testid={`receipt-${key}`}>
        {value}
      </span>
    </div>
  );
  return (
    <article
      className={`fb-receipt${reversed ? ' fb-receipt-reversed' : ''}`}
      data-testid={testId}
      lang={lang}
    >
      {reversed && (
        <div className="fb-receipt-watermark" aria-hidden data-testid="receipt-watermark">
          {t('receipt.reversedMark')}
        </div>
      )}
      <header className="fb-receipt-head">
        <div>
          <div className="fb-receipt-branch" data-testid="receipt-branch">
            {r.branch.name}
          </div>
          <div className="fb-receipt-small">{t('receipt.branchCode', { code: r.branch.code })}</div>
        </div>
        <div className="fb-receipt-title-block">
          <div className="fb-receipt-title">{t('receipt.title')}</div>
          <div className="fb-receipt-no fb-num" data-testid="receipt-no">
            {t('receipt.no', { no: r.receiptNo })}
          </div>
        </div>
      </header>
      <div className="fb-receipt-body">
        {row(
          t('receipt.borrower'),
          `${r.borrower.name}（${r.borrower.idNumberMasked}）`,
          'borrower',
        )}
        {row(
          t('receipt.address'),
          [r.borrower.township, r.borrower.village].join(' · '),
          'address',
        )}
        {row(t('receipt.loanNo'), <span className="fb-num">{r.loanNo}</span>, 'loan')}
        {row(
          t('receipt.amount'),
          <span className="fb-receipt-amount fb-num">{money(r.amountFen)}</span>,
          'amount',
        )}
        {lang === 'zh-CN' &&
          row(
            t('receipt.amountInWords'),
            `人民币${amountInChineseCapitals(r.amountFen)}`,
            'capitals',
          )}
        {row(
          t('receipt.method'),
          r.reference
            ? `${t(`paymentMethod.${r.method}`)} · ${t('receipt.reference', { ref: r.reference })}`
            : t(`paymentMethod.${r.method}`),
          'method',
        )}
        {row(t('receipt.collectedAt'), receiptTime(r.collectedAt, timeZone, lang), 'time')}
        {row(t('receipt.collectedBy'), r.collectedBy.name, 'collector')}
        {row(
          t('receipt.after'),
          t('receipt.afterValue', {
            arrears: money(r.arrearsAfterFen),
            outstanding: money(r.outstandingAfterFen),
          }),
          'after',
        )}
        {r.reversal &&
          row(
            t('receipt.reversal'),
            t('receipt.reversalValue', {
              when: receiptTime(r.reversal.at, timeZone, lang),
              by: r.reversal.by.name,
              reason: r.reversal.reason,
            }),
            'reversal',
          )}
      </div>
      <footer className="fb-receipt-foot">
        <div className="fb-receipt-sign">
          <span>{t('receipt.signBorrower')}</span>
          <span className="fb-receipt-line" />
        </div>
        <div className="fb-receipt-sign">
          <span>{t('receipt.signCollector')}</span>
          <span className="fb-receipt-line" />
        </div>
      </footer>
      <div className="fb-receipt-small fb-receipt-note">{t('receipt.footnote')}</div>
    </article>
  );
}
