"""Time lossbook (value + gradient) against PyTorch (forward + backward) on the CPU.

For every elementwise and every multi-class loss of the catalog, at 1e3, 1e5 and 1e7
elements, with PyTorch limited to one thread (NumPy's elementwise operations use one).
Prints a markdown table of the median times and their ratio lossbook / torch, and the
geometric mean of the ratios per size. Usage:

    python benchmarks/bench_losses.py [--sizes 1e3 1e5 1e7] [--repeats 5] [--output FILE]

This is a benchmark, not a test: its numbers depend on the machine. The committed results
are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import time

import numpy as np
import torch

from lossbook.catalog import CATALOG
from tests.inputs import NUM_CLASSES, draw_inputs, kwargs_for
from tests.torch_reference import REFERENCES

MULTICLASS_WIDTH = 10

#: Why a loss runs more than twice as long as PyTorch, printed under the table. PyTorch runs
#: each of these losses as one fused kernel (one pass over memory); NumPy needs one pass, and
#: one temporary array, per operation.
SLOWER_BECAUSE = {
    "huber": "abs, compare, two branch formulas and a select: about five passes over memory "
             "for value and gradient, against PyTorch's one fused kernel each way",
    "smooth_l1": "the same piecewise evaluation as Huber, plus the division by beta",
    "cross_entropy": "log-softmax (max, subtract, exp, sum, log) in separate passes, a class "
                     "range check on the targets, and a dense one-hot for the gradient; "
                     "PyTorch fuses log-softmax and gathers",
    "nll": "the range check over the targets and a dense one-hot (N, C) for the gradient, "
           "where PyTorch's kernel only touches the N target entries",
    "multi_margin": "builds the (N, C) margin matrix, masks the target column and sums, in "
                    "separate passes; PyTorch loops over classes in one C++ kernel",
}


def shapes_for(spec, size):
    """Inputs of about ``size`` elements in the prediction."""
    if spec.layout == "elementwise":
        return dict(n=int(size), width=1)
    return dict(n=max(int(size) // NUM_CLASSES, 1))


def median_time(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench(spec, size, repeats, rng):
    args = draw_inputs(spec, rng, **shapes_for(spec, size))
    kwargs = kwargs_for(spec, spec.param_sets[0])

    def ours():
        spec.loss(*args, **kwargs)
        spec.grad(*args, **kwargs)

    tensors = [torch.from_numpy(a) for a in args]
    first = tensors[0].requires_grad_(True)

    def theirs():
        first.grad = None
        REFERENCES[spec.name](*tensors, **kwargs, reduction="mean").backward()

    return median_time(ours, repeats), median_time(theirs, repeats)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e3, 1e5, 1e7])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", help="also write the table to this markdown file")
    options = parser.parse_args()
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    specs = [s for s in CATALOG if s.layout in ("elementwise", "classes")]
    sizes = [int(s) for s in options.sizes]
    header = "| loss | " + " | ".join(f"{s:.0e} lossbook / torch (ms)" for s in sizes) + " |"
    lines = [header, "|" + "---|" * (len(sizes) + 1)]
    ratios = {s: [] for s in sizes}
    for spec in specs:
        cells = []
        for size in sizes:
            repeats = options.repeats if size < 1e7 else max(options.repeats // 2, 2)
            ours, theirs = bench(spec, size, repeats, rng)
            ratios[size].append(ours / theirs)
            cells.append(f"{ours * 1e3:.3g} / {theirs * 1e3:.3g} = **{ours / theirs:.2f}**")
        lines.append(f"| {spec.name} | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)
    geomeans = [math.exp(statistics.fmean(math.log(r) for r in ratios[s])) for s in sizes]
    lines.append("| geometric mean of ratios | " + " | ".join(f"**{g:.2f}**" for g in geomeans) + " |")
    machine = (f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} torch "
               f"thread, numpy {np.__version__}, torch {torch.__version__}, "
               f"Python {platform.python_version()}")
    slow = [(spec.name, max(r[i] for r in ratios.values())) for i, spec in enumerate(specs)]
    notes = [f"- **{name}** (up to {ratio:.1f}x): {SLOWER_BECAUSE.get(name, 'not explained yet')}."
             for name, ratio in slow if ratio > 2]
    text = "\n".join(lines) + f"\n\nMachine: {machine}\n"
    if notes:
        text += "\nSlower than 2x, and why:\n\n" + "\n".join(notes) + "\n"
    print(text)
    if options.output:
        with open(options.output, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
