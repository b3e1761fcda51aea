@echo off
rem sockethost launcher for Windows: bin\sockethost.bat [run, check, plugins, config or help] [options]
rem JAVA_HOME selects the Java 17+ installation (default: java on PATH); JAVA_OPTS holds JVM options.
rem SOCKETHOST_HOME is set to the installation folder (the parent of bin\).
rem SOCKETHOST_JVM_DEFAULTS=off drops the launcher's memory flags below; JAVA_OPTS comes after them and wins.
setlocal
rem ---- JVM memory defaults: begin (the same flags as bin/sockethost; see docs/OPERATING.md#memory) ----
rem When JAVA_OPTS sizes the heap in any way (-Xmx, -Xms, -XX:MaxRAMPercentage, ...), both heap flags step aside.
set "JVM_HEAP=-Xms16m -Xmx512m"
if defined JAVA_OPTS (echo %JAVA_OPTS%| findstr /i /c:"-Xms" /c:"-Xmx" /c:"HeapSize=" /c:"RAM=" /c:"RAMPercentage=" /c:"RAMFraction=" >nul) && set "JVM_HEAP="
set "JVM_DEFAULTS=%JVM_HEAP% -XX:G1PeriodicGCInterval=30000"
if /i "%SOCKETHOST_JVM_DEFAULTS%"=="off" set "JVM_DEFAULTS="
rem ---- JVM memory defaults: end ----
for %%I in ("%~dp0..") do set "SOCKETHOST_HOME=%%~fI"
set "JAVA_CMD=java.exe"
if defined JAVA_HOME set "JAVA_CMD=%JAVA_HOME%\bin\java.exe"
"%JAVA_CMD%" %JVM_DEFAULTS% %JAVA_OPTS% -cp "%SOCKETHOST_HOME%\lib\*" io.sockethost.launcher.Main %*
exit /b %ERRORLEVEL%
