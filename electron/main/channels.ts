/** The single IPC channel between preload and main. */
export const INVOKE_CHANNEL = 'fieldbook:invoke';

/** File dialogs and printing (electron/main/file-dialogs.ts); the page never sees the file system. */
export const FILE_OPEN_CHANNEL = 'fieldbook:file-open';
export const FILE_SAVE_CHANNEL = 'fieldbook:file-save';
export const PRINT_TO_PDF_CHANNEL = 'fieldbook:print-to-pdf';
