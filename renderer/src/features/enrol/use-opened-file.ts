// "Open provisioning file…": the file dialog (or, in a plain browser, an upload to the dev
// bridge), then the ledger's host checks the file (signature, trusted key, expiry, not used
// before) and answers what it contains. The enrolment code inside is never shown; the host
// checks the file again when enrolling with it.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProvisioningOffer } from '../../../../shared/api/sync-contract';
import { asApiError, invoke } from '../../api/client';
import { pickFileToOpen, type PickedFile } from '../../app/files';
import { isLanguage, setLanguage } from '../../i18n';
import { openedFileErrorText } from './enrol-errors';

export interface OpenedFile {
  file: string;
  offer: ProvisioningOffer;
}

export interface OpenedFileState {
  opened: OpenedFile | null;
  checking: boolean;
  /** Why the last file opened cannot be used, in words. */
  refusal: string | null;
  open: () => void;
}

export function useOpenedProvisioningFile(): OpenedFileState {
  const { t } = useTranslation();
  const [opened, setOpened] = useState<OpenedFile | null>(null);
  const [checking, setChecking] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  const open = useCallback(() => {
    void (async () => {
      let picked: PickedFile | null;
      try {
        picked = await pickFileToOpen({
          filters: [{ name: t('enrol.provisioningFilter'), extensions: ['json'] }],
        });
      } catch {
        setRefusal(t('enrol.fileRefused', { reason: t('enrol.fileNotHandedOver') }));
        return;
      }
      if (!picked) return;
      setChecking(true);
      setRefusal(null);
      try {
        const offer = await invoke('device.provisioningFromFile', { file: picked.path });
        setOpened({ file: picked.path, offer });
        // Branch IT chose the laptop's language; the switch in the corner still changes it.
        if (isLanguage(offer.defaultLanguage)) setLanguage(offer.defaultLanguage);
      } catch (err) {
        setOpened(null);
        setRefusal(openedFileErrorText(asApiError('device.provisioningFromFile', err), t));
      } finally {
        setChecking(false);
      }
    })();
  }, [t]);

  return { opened, checking, refusal, open };
}
