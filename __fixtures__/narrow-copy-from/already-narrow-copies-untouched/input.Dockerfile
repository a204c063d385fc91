FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY . .
RUN dotnet restore
RUN dotnet publish -c Release -o /app

FROM golang:1.22-alpine AS tools
WORKDIR /go/src/app
COPY . .
RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /app main.go

FROM node:20 AS web
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS final
WORKDIR /app
COPY --from=build /app .
COPY --from=tools /app /usr/local/bin/tool
COPY --from=web /app/dist ./wwwroot
ENTRYPOINT ["dotnet", "Api.dll"]
