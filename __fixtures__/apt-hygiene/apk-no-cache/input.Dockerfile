FROM alpine:3.19
RUN apk update && apk add curl
RUN apk add --update git \
    openssh
RUN apk --no-cache add jq
CMD ["sh"]
