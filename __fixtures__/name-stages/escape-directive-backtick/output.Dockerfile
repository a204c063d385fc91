# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR C:\src
COPY . .
RUN dotnet publish -c Release -o C:\out `
    --no-restore
FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS runtime
COPY --from=build C:\out C:\app
ENTRYPOINT ["dotnet", "C:\\app\\app.dll"]
