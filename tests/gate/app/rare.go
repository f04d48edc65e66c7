package main

func rare() int { return 1 }
