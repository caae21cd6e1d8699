// An amount typed in yuan ("1,234.5", "¥80", full-width digits) and read exactly into fen
// by shared/money's parser: never through a float.
import { Input } from 'antd';
import { parseAmountToFen } from '../../../shared/money';

export interface MoneyInputProps {
  value?: string;
  onChange?: (value: string) => void;
  placeholder?: string;
  testId?: string;
  autoFocus?: boolean;
  id?: string;
}

export function MoneyInput({
  value,
  onChange,
  placeholder,
  testId,
  autoFocus,
  id,
}: MoneyInputProps) {
  return (
    <Input
      id={id}
      prefix="¥"
      inputMode="decimal"
      className="fb-money-input fb-num"
      data-testid={testId}
      value={value}
      placeholder={placeholder ?? '0.00'}
      autoFocus={autoFocus}
      onChange={(e) => onChange?.(e.target.value)}
      maxLength={20}
    />
  );
}

/** Positive fen from the typed text, or null when it is empty, malformed, zero or negative. */
export function positiveFen(text: string | undefined): number | null {
  if (!text) return null;
  const fen = parseAmountToFen(text);
  return fen !== null && fen > 0 ? fen : null;
}

/** Non-negative fen (household figures may be 0), or null. */
export function nonNegativeFen(text: string | undefined): number | null {
  if (!text || text.trim() === '') return 0;
  const fen = parseAmountToFen(text);
  return fen !== null && fen >= 0 ? fen : null;
}

/** Fen as the text an amount field shows for it ('1234.50'), for prefilling. */
export function fenToInputText(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
