// stands in for the yarn 3.6.4 release
