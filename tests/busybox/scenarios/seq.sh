# seq: counting up and down, steps, separators, fixed width, and floating point steps.
steps() {
    guest seq 10
    guest seq 5 15
    guest seq 10 -3 -5
    guest seq -s , 1 10
    guest seq -w 8 12
    guest seq 0 0.25 2
    guest seq 1 100000
    guest seq 1.5 0.5 3
    guest seq 5 1
}
