FROM golang:1.22
COPY . .
RUN chmod +x start.sh && go build -o server .
CMD ["./start.sh"]
