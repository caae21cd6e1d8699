// 大写金额: an amount in fen written in Chinese financial capitals, as receipts and bank
// slips require ("壹仟贰佰叁拾肆元伍角"). Rules (中国人民银行《支付结算办法》附件, common
// practice): one 零 for any run of zeros between significant digits, also across the
// 万 / 亿 sections; 整 after 元 when there are no 角 and 分; a 零 between 元 and 分 when
// 角 is zero; the 壹 of 壹拾 is written out; an amount under one yuan has no 元 part.
import type { Fen } from '../../../../shared/domain/types';

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
/** Units inside a four-digit section, most significant first. */
const SECTION_UNITS = ['仟', '佰', '拾', ''] as const;
/** Units of the sections, least significant first. */
const SECTION_NAMES = ['', '万', '亿', '万亿'] as const;

function digit(n: number): string {
  return DIGITS[n] as string;
}

/** One section (0-9999) in capitals, zeros inside it collapsed to one 零, no leading/trailing 零. */
function sectionWords(section: number): string {
  const digits = String(section).padStart(4, '0').split('').map(Number);
  let out = '';
  let pendingZero = false;
  digits.forEach((d, i) => {
    if (d === 0) {
      if (out !== '') pendingZero = true;
      return;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += digit(d) + SECTION_UNITS[i];
  });
  return out;
}

/** Whole yuan in capitals: '壹仟零肆', '壹拾万零壹'; '' for 0. */
function yuanWords(yuan: number): string {
  const sections: number[] = [];
  for (let rest = yuan; rest > 0; rest = Math.floor(rest / 10_000)) sections.push(rest % 10_000);
  let out = '';
  let zeroBefore = false;
  for (let i = sections.length - 1; i >= 0; i--) {
    const section = sections[i] as number;
    if (section === 0) {
      // An empty section between two significant ones reads as one 零.
      if (out !== '') zeroBefore = true;
      continue;
    }
    // A section that starts with zeros (0504) after a higher section needs its 零.
    if (out !== '' && (zeroBefore || section < 1000)) out += '零';
    zeroBefore = false;
    out += sectionWords(section) + SECTION_NAMES[i];
  }
  return out;
}

/**
 * 123450 -> '壹仟贰佰叁拾肆元伍角'; 100000 -> '壹仟元整'; 100005 -> '壹仟元零伍分';
 * 50 -> '伍角'; 0 -> '零元整'. Throws RangeError for a negative or non-integer amount (a
 * receipt is never negative) or one beyond 9,999 万亿 yuan.
 */
export function amountInChineseCapitals(fen: Fen): string {
  if (!Number.isSafeInteger(fen) || fen < 0) {
    throw new RangeError(`amountInChineseCapitals: not a non-negative integer of fen: ${fen}`);
  }
  const yuan = Math.floor(fen / 100);
  if (yuan >= 10_000 ** SECTION_NAMES.length) {
    throw new RangeError(`amountInChineseCapitals: amount too large: ${fen}`);
  }
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  if (fen === 0) return '零元整';
  const yuanPart = yuan > 0 ? `${yuanWords(yuan)}元` : '';
  if (jiao === 0 && cents === 0) return `${yuanPart}整`;
  let out = yuanPart;
  if (jiao > 0) out += `${digit(jiao)}角`;
  else if (yuan > 0) out += '零';
  if (cents > 0) out += `${digit(cents)}分`;
  return out;
}
