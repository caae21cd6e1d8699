// Keeps borrower data out of logs and support bundles. Pure: used by the electron-log hook
// (electron/main/logging.ts) on every record and again on whole log files when a support
// bundle is made (electron/support/bundle.ts).
//
// The rule for code is "log ids, never names": this is the safety net under it.
//   - Values under keys that name personal or free-text fields (name, phone, mobile,
//     address, id number, note, text, remarks, comment, memo, description, email …) are
//     replaced, whatever they hold.
//   - In every string: runs of Chinese characters (names, addresses, notes — log messages
//     themselves are English), mainland mobile and landline numbers, resident ID numbers
//     (18 and 15 digits, masked forms too), long digit runs such as bank cards, e-mail
//     addresses, and the user's home folder (it often carries a person's name).
// What it cannot catch: a name in Latin letters (pinyin) in a free-text message. Such text
// must never be logged; structured fields carrying it are caught by their key.

export const REDACTED = '[redacted]';

export interface RedactOptions {
  /** Replaced by ~ in every string (os.homedir()). */
  homeDir?: string;
}

// Key words (after splitting camelCase / snake_case / kebab-case) that mark a field as
// personal or free text. Identity words mark a key wherever they appear (mobileNumber,
// nameInitials); free-text and place words only as the key's last word (outcomeText, but
// not textLength).
const IDENTITY_WORDS = new Set([
  'name',
  'names',
  'fullname',
  'firstname',
  'lastname',
  'surname',
  'givenname',
  'nickname',
  'username',
  'initials',
  'phone',
  'phones',
  'mobile',
  'mobiles',
  'tel',
  'telephone',
  'phonenumber',
  'landline',
  'msisdn',
  'address',
  'addresses',
  'addr',
  'email',
  'emails',
  'wechat',
  'qq',
  'passport',
  'idnumber',
  'idno',
  'idcard',
  'nationalid',
  'idnumbermasked',
  'bankcard',
  'cardnumber',
  'accountnumber',
  'iban',
]);
const LAST_WORDS = new Set([
  'street',
  'village',
  'township',
  'residence',
  'location',
  'identity',
  'note',
  'notes',
  'text',
  'remark',
  'remarks',
  'comment',
  'comments',
  'memo',
  'description',
  'summary',
  'body',
  'content',
  'spouse',
  'guarantor',
  'relation',
]);

// Keys that contain one of those words but carry no personal data.
const ALLOWED_KEYS = new Set([
  'hostname',
  'pathname',
  'filename',
  'appname',
  'productname',
  'eventname',
  'channelname',
  'operationname',
  'opname',
  'typename',
  'errorname',
  'levelname',
  'scopename',
  'branchname',
  'packname',
  'policypackname',
  'context',
  'namespace',
]);

function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

export function isSensitiveKey(key: string): boolean {
  const joined = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (ALLOWED_KEYS.has(joined)) return false;
  if (IDENTITY_WORDS.has(joined) || LAST_WORDS.has(joined)) return true;
  const words = keyWords(key);
  if (words.some((w) => IDENTITY_WORDS.has(w))) return true;
  // Two-word forms of the joined identity words: idNumber, id_card, bank-card.
  for (let i = 0; i + 1 < words.length; i++)
    if (IDENTITY_WORDS.has(`${words[i]}${words[i + 1]}`)) return true;
  const last = words[words.length - 1];
  return last !== undefined && LAST_WORDS.has(last);
}

const HAN = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
const CJK_PUNCT = '\\u3000-\\u303f\\uff00-\\uffef\\u00b7\\u2014\\u2018-\\u201d';
/** A run of Chinese text, including digits, Latin letters and spaces between Chinese characters (addresses: 城关镇东街12号3栋). */
const CJK_RUN = new RegExp(
  `[${HAN}](?:[${HAN}${CJK_PUNCT}0-9A-Za-z#\\- ]*[${HAN}${CJK_PUNCT}])?(?:\\d+[${HAN}])*`,
  'gu',
);

// Boundaries: not inside a longer word, id or number (UUIDs, hashes, timestamps).
const B = '(?<![0-9A-Za-z_\\-])';
const E = '(?![0-9A-Za-z_\\-])';
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  // Resident ID: 18 digits (last may be X), 15-digit legacy, and masked forms (110101********1234).
  [new RegExp(`${B}\\d{17}[\\dXx]${E}`, 'g'), '[id-number]'],
  [new RegExp(`${B}\\d{6}\\*{4,12}[\\dXx*]{0,4}${E}`, 'g'), '[id-number]'],
  // Mainland mobiles, optionally +86 / 86, with spaces or dashes, and masked (138****5678).
  [new RegExp(`${B}(?:\\+?86[\\s-]?)?1[3-9]\\d(?:[\\s-]?\\d{4}){2}${E}`, 'g'), '[phone]'],
  [new RegExp(`${B}1[3-9]\\d\\*{4}\\d{4}${E}`, 'g'), '[phone]'],
  // Landlines: area code 0xx(x), then 7-8 digits.
  [new RegExp(`${B}\\(?0\\d{2,3}\\)?[\\s-]?\\d{7,8}${E}`, 'g'), '[phone]'],
  [new RegExp(`${B}\\d{15}${E}`, 'g'), '[id-number]'],
  // Bank cards and other long numbers (16-19 digits, optionally grouped by 4).
  [new RegExp(`${B}\\d{4}(?:[\\s-]?\\d{4}){3}(?:[\\s-]?\\d{1,3})?${E}`, 'g'), '[number]'],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// `key: value`, `"key": "value"` and `key=value` inside text: objects as a log file shows
// them (util.inspect, JSON) or as a URL query carries them. The value goes when the key is
// personal, the same rule as for structured values.
const KEY_VALUE =
  /(["']?)([A-Za-z_][A-Za-z0-9_-]*)\1(\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;&}\])]+)/g;

export function redactText(text: string, options: RedactOptions = {}): string {
  let out = text.replace(
    KEY_VALUE,
    (match, quote: string, key: string, sep: string, value: string) =>
      isSensitiveKey(key) && !/^(?:true|false|null|undefined)$/.test(value)
        ? `${quote}${key}${quote}${sep}"${REDACTED}"`
        : match,
  );
  if (options.homeDir && options.homeDir.length > 1) {
    out = out.replace(new RegExp(escapeRegExp(options.homeDir), 'gi'), '~');
  }
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out.replace(CJK_RUN, '[cjk]');
}

const MAX_DEPTH = 8;
const MAX_ITEMS = 200;

function redactError(
  err: Error,
  options: RedactOptions,
  seen: WeakSet<object>,
  depth: number,
): Error {
  const copy = new Error(redactText(err.message, options));
  copy.name = err.name;
  copy.stack = err.stack ? redactText(err.stack, options) : undefined;
  for (const [k, v] of Object.entries(err)) {
    (copy as unknown as Record<string, unknown>)[k] = isSensitiveKey(k)
      ? REDACTED
      : redactInner(v, options, seen, depth + 1);
  }
  return copy;
}

function redactInner(
  value: unknown,
  options: RedactOptions,
  seen: WeakSet<object>,
  depth: number,
): unknown {
  if (typeof value === 'string') return redactText(value, options);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (value instanceof Error) return redactError(value, options, seen, depth);
    if (value instanceof Date) return value;
    if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((v) => redactInner(v, options, seen, depth + 1));
      if (value.length > MAX_ITEMS) items.push(`[… ${value.length - MAX_ITEMS} more]`);
      return items;
    }
    if (value instanceof Map) {
      return redactInner(Object.fromEntries(value), options, seen, depth);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const key = redactText(k, options);
      out[key] =
        isSensitiveKey(k) && v !== null && v !== undefined && typeof v !== 'boolean'
          ? REDACTED
          : redactInner(v, options, seen, depth + 1);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** A copy of any log argument with borrower data removed (the input is not changed). */
export function redactValue(value: unknown, options: RedactOptions = {}): unknown {
  return redactInner(value, options, new WeakSet(), 0);
}

/**
 * The electron-log hook that redacts every record before any transport sees it
 * (installed by electron/main/logging.ts; electron-log/node runs the same hook in tests).
 */
export function redactingLogHook(options: RedactOptions = {}) {
  return <M extends { data: unknown[] }>(message: M): M => ({
    ...message,
    data: message.data.map((d: unknown) => redactValue(d, options)),
  });
}
