; Inno Setup 6 script for ivigcalc (Windows, per-machine install).
;
; Packs the PyInstaller one-folder build (dist\ivigcalc, made from
; packaging\ivigcalc.spec) into a setup program. The version comes from the
; build; it is not hard-coded here:
;
;   iscc /DAppVersion=0.1.0 packaging\ivigcalc.iss
;
; Optional defines:
;   /DDistDir=<folder>     PyInstaller output folder (default ..\dist\ivigcalc)
;   /DOutputDir=<folder>   where the setup .exe goes  (default ..\dist)
; Relative paths are relative to this script's folder.

#ifndef AppVersion
  #error AppVersion is not defined: run iscc /DAppVersion=X.Y.Z packaging\ivigcalc.iss
#endif
#ifndef DistDir
  #define DistDir "..\dist\ivigcalc"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif

#define AppName "ivigcalc"
#define AppExe "ivigcalc.exe"
#define AppIco "..\resources\icons\ivigcalc.ico"

#if !FileExists(AddBackslash(SourcePath) + DistDir + "\" + AppExe)
  #error PyInstaller output not found: build dist\ivigcalc first (see packaging\README.md)
#endif

[Setup]
; AppId identifies the product for upgrades and uninstall: never change it.
AppId={{A425190C-C30A-492A-B36A-8B5097487CE9}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=ivigcalc
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
; 64-bit Python/Qt build: install into "Program Files", not "(x86)".
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 or later.
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayName={#AppName} {#AppVersion}
UninstallDisplayIcon={app}\{#AppExe}
CloseApplications=yes
#if FileExists(AddBackslash(SourcePath) + AppIco)
SetupIconFile={#AppIco}
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Upgrades: remove the previous build's runtime folder first, so DLLs or
; modules that the new build no longer ships do not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; ivigcalc.exe (windowed), ivigcalc-cli.exe (console) and _internal\.
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
