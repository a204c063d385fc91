FROM alpine
COPY --from=1 /x /x
FROM busybox
RUN true
