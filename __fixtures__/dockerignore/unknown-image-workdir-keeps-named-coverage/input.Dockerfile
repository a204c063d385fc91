FROM acme/go-runtime:1.16
COPY . .
CMD ["sh", "/opt/acme/start.sh", "/opt/acme/coverage/baseline.out"]
