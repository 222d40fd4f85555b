; Inno Setup 6 script for ivigcalc (Windows). Installs per user by default,
; without administrator rights (into %LOCALAPPDATA%\Programs, a Start-menu entry
; for that user); an administrator may choose a per-machine install instead
; (Program Files, every user), on the wizard's first page or with /ALLUSERS.
; /CURRENTUSER forces the per-user install in a silent deployment.
; /CATALOG=<path> also sets IVIGCALC_CATALOG (the site catalog) in the same
; scope: the user's environment, or with /ALLUSERS the machine's.
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
; Per user unless an administrator asks for all users: {autopf}, {autoprograms}
; and {autodesktop} follow the choice (user folders, or the common ones).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
UsePreviousPrivileges=yes
; /CATALOG= writes an environment variable: tell running programs.
ChangesEnvironment=yes
; 64-bit Python/Qt build: a per-machine install goes into "Program Files", not "(x86)".
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

[Registry]
; IVIGCALC_CATALOG only when /CATALOG= was given, in the install's own scope.
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "IVIGCALC_CATALOG"; ValueData: "{param:CATALOG}"; Flags: uninsdeletevalue; Check: CatalogForUser
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: expandsz; ValueName: "IVIGCALC_CATALOG"; ValueData: "{param:CATALOG}"; Flags: uninsdeletevalue; Check: CatalogForMachine

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function CatalogGiven: Boolean;
begin
  Result := ExpandConstant('{param:CATALOG}') <> '';
end;

function CatalogForUser: Boolean;
begin
  Result := CatalogGiven and not IsAdminInstallMode;
end;

function CatalogForMachine: Boolean;
begin
  Result := CatalogGiven and IsAdminInstallMode;
end;
