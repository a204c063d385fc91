bootstrap()
