export { recordContact, type RecordContactInput } from './record-contact';
export { recordPromise, type RecordPromiseInput } from './record-promise';
export {
  recordPayment,
  formatReceiptNo,
  type RecordPaymentInput,
  type RecordedPayment,
} from './record-payment';
export { reversePayment, type ReversePaymentInput } from './reverse-payment';
export { proposePlan, MAX_PLAN_MONTHS, type ProposePlanInput } from './propose-plan';
export { recordNote, type RecordNoteInput } from './record-note';
export { setFlags, type SetFlagsInput } from './set-flags';
