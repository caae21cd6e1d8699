; Fieldbook's additions to electron-builder's NSIS installer (nsis.include in
; electron-builder.config.ts). Two jobs:
;
; 1. Provisioning: copy fieldbook-provisioning.json into the install folder, where the
;    app looks for it on first start (electron/main/provisioning-loader.ts). Taken from
;    --provisioning=<path> on the command line if given, else from beside the installer:
;      Fieldbook-Setup-1.2.3.exe /S --provisioning=\\fileserver\it\fieldbook-provisioning.json
;    Updates run the installer from the updater's cache, where there is no such file: the
;    copy is skipped then (the laptop is enrolled already).
;
; 2. Uninstall keeps the case ledger (deleteAppDataOnUninstall: false). The uninstaller
;    shows one extra box, "Also delete my data", unchecked; a silent uninstall deletes the
;    data only with --delete-app-data (electron-builder's own switch):
;      "C:\Program Files\Fieldbook\Uninstall Fieldbook.exe" /S --delete-app-data

!include "FileFunc.nsh"

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "--provisioning=" $R1
  ${IfNot} ${Errors}
    ${If} ${FileExists} "$R1"
      CopyFiles /SILENT "$R1" "$INSTDIR\fieldbook-provisioning.json"
      DetailPrint "Provisioning file copied from $R1"
    ${Else}
      DetailPrint "Provisioning file $R1 not found; the app will ask on first start"
    ${EndIf}
  ${ElseIf} ${FileExists} "$EXEDIR\fieldbook-provisioning.json"
    CopyFiles /SILENT "$EXEDIR\fieldbook-provisioning.json" "$INSTDIR\fieldbook-provisioning.json"
    DetailPrint "Provisioning file copied from beside the installer"
  ${EndIf}
!macroend

; Strings for the extra uninstaller box (Simplified Chinese and English).
LangString fbDeleteDataSection 2052 "同时删除本机数据（案件账本、密钥和日志）"
LangString fbDeleteDataSection 1033 "Also delete my data (case ledger, keys and logs)"

; "/o" leaves the section unchecked: keeping the ledger is the default, also when silent.
!macro customUnInstallSection
  Section /o "un.$(fbDeleteDataSection)" fbDeleteData
    ; Never during an update: the updater runs the old uninstaller with --updated.
    ${ifNot} ${isUpdated}
      ; Electron keeps user data per user, whatever the install mode.
      ${if} $installMode == "all"
        SetShellVarContext current
      ${endif}
      RMDir /r "$APPDATA\${APP_PACKAGE_NAME}"
      RMDir /r "$APPDATA\${PRODUCT_NAME}"
      RMDir /r "$LOCALAPPDATA\${APP_PACKAGE_NAME}-updater"
      ${if} $installMode == "all"
        SetShellVarContext all
      ${endif}
    ${endif}
  SectionEnd
!macroend
