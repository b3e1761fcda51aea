@echo off
rem sockethost launcher for Windows: bin\sockethost.bat [run, check, plugins, config or help] [options]
rem JAVA_HOME selects the Java 17+ installation (default: java on PATH); JAVA_OPTS holds JVM options.
rem SOCKETHOST_HOME is set to the installation folder (the parent of bin\).
setlocal
for %%I in ("%~dp0..") do set "SOCKETHOST_HOME=%%~fI"
set "JAVA_CMD=java.exe"
if defined JAVA_HOME set "JAVA_CMD=%JAVA_HOME%\bin\java.exe"
"%JAVA_CMD%" %JAVA_OPTS% -cp "%SOCKETHOST_HOME%\lib\*" io.sockethost.launcher.Main %*
exit /b %ERRORLEVEL%
