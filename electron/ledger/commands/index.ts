export { recordContact, type RecordContactInput } from './record-contact';
export { recordPromise, type RecordPromiseInput } from './record-promise';
export {
  recordPayment,
  formatReceiptNo,
  type RecordPaymentInput,
  type RecordedPayment,
} from './record-payment';
export { reversePayment, type ReversePaymentInput } from './reverse-payment';
