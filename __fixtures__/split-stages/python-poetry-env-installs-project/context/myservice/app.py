def main():
    print("up")
