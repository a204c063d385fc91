# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR C:\src
COPY . .
RUN dotnet publish -c Release -o C:\out `
    --no-restore
FROM mcr.microsoft.com/dotnet/aspnet:8.0
COPY --from=0 C:\out C:\app
ENTRYPOINT ["dotnet", "C:\\app\\app.dll"]
