// yarn release
