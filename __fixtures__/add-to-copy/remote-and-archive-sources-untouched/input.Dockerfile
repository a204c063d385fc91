FROM debian:bookworm
ADD https://example.com/tool.sh /usr/local/bin/tool.sh
ADD git@github.com:moby/buildkit.git /src
ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.12.0 /buildkit
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a.txt /a.txt
ADD rootfs.tar.xz /
ADD vendor.tgz /opt/
ADD build.zst /opt/
