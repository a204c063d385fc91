FROM alpine:3.19
RUN apk add --no-cache curl
RUN apk add --no-cache --update git \
    openssh
RUN apk --no-cache add jq
CMD ["sh"]
