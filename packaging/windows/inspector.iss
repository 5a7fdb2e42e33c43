; Inno Setup script for the Windows installer (UNTESTED: no Windows machine here).
; Made by `python -m inspector.bootstrap package` on Windows when Inno Setup 6's iscc.exe is on PATH:
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\inspector /DOutputDir=dist packaging\windows\inspector.iss
; Installs per machine under Program Files\Inspector with a Start-menu entry (Chinese name); the data stays
; in each user's %LOCALAPPDATA%\Inspector and is never removed by the uninstaller.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\inspector"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
AppId={{6F1E2B57-3C55-4F0B-9D0B-7B1E8E4F3A21}
AppName=安全生产检查 Inspector
AppVersion={#AppVersion}
AppPublisher=兴国经开区
DefaultDirName={autopf}\Inspector
DefaultGroupName=安全生产检查
DisableProgramGroupPage=yes
OutputDir={#OutputDir}
OutputBaseFilename=inspector-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\..\build\inspector.ico
UninstallDisplayIcon={app}\inspector.exe

; ChineseSimplified.isl is an unofficial Inno Setup translation: add it here once it is in compiler:Languages
[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\安全生产检查"; Filename: "{app}\inspector.exe"
Name: "{autodesktop}\安全生产检查"; Filename: "{app}\inspector.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Run]
Filename: "{app}\inspector.exe"; Description: "{cm:LaunchProgram,安全生产检查}"; Flags: nowait postinstall skipifsilent
