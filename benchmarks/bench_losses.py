"""Time lossbook (value + gradient) against PyTorch (forward + backward) on the CPU.

Every loss of the catalog whose size is its number of elements (elementwise, multi-class and
row-wise losses; not the three InfoNCE forms, whose similarity matrix grows with the square
of the batch), at 1e3, 1e5 and 1e7 elements, with PyTorch limited to one thread and NumPy's
BLAS too (lossbook sums short rows with a matrix-vector product; NumPy's elementwise
operations use one thread anyway). Prints a markdown table of the median times and their
ratio lossbook / torch, the geometric mean of the ratios per size, and two reference
columns at the largest size:

* for ``cross_entropy`` and ``nll``, lossbook against a plain NumPy version as one writes it
  by hand (:func:`plain_cross_entropy`, :func:`plain_nll`: max, exp, sum, log, one gather,
  and a gradient that subtracts 1 at the target entries only, value and gradient from one
  softmax);
* for the elementwise losses, lossbook against one pass over memory that reads two arrays
  and writes one (``np.add(a, b, out=c)`` on arrays of the prediction's size): how many
  such passes value and gradient cost.

Then every tested option of the catalog (each parameter set after the first: weights, label
smoothing, ...) at one size, ``--options-size``. Usage:

    python -m benchmarks.bench_losses [--sizes 1e3 1e5 1e7] [--repeats 5] [--output FILE]
                                      [--losses NAME ...]

``--losses`` times only the catalog entries named (``--losses soft_dice tversky``).

This is a benchmark, not a test: its numbers depend on the machine and on its load, so
``uptime``'s load average is printed with the results. The committed results are in
benchmarks/RESULTS.md.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before NumPy is imported: one BLAS thread

import argparse  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

from lossbook.catalog import CATALOG  # noqa: E402
from tests.inputs import NUM_CLASSES, draw_inputs, kwargs_for  # noqa: E402
from tests.torch_reference import REFERENCES  # noqa: E402

#: Losses whose inputs are batches of vectors compared with each other: an (N, N) matrix.
QUADRATIC = ("info_nce", "symmetric_info_nce", "nt_xent")

TARGET = 1.5  # no loss slower than this many times PyTorch
ONE_PASS_TARGET = ("mse", "mae", "huber")  # value + gradient within 3 passes over memory

#: What bounds a loss that stays slower than the target, printed under the table.
SLOWER_BECAUSE = {
    "huber": "at 1e5 elements, in some processes, the allocation of its fresh temporaries: "
             "glibc returns their pages when they are freed and faults them in again at the "
             "next call (1.59 ms for value and gradient, 0.31 ms with MALLOC_TRIM_THRESHOLD_ "
             "and MALLOC_MMAP_THRESHOLD_ at 1e8; in other runs of this benchmark 1.3x); at "
             "1e7 it is below PyTorch",
    "smooth_l1": "the same allocation effect as Huber at 1e5 (in other runs 0.7x to 1.4x)",
    "triplet_margin": "at 1e5 elements the time goes to allocating the fresh (N, D) "
                      "differences, whose pages glibc returns to the system when they are "
                      "freed and faults in again at the next call (the value alone: 2.2 ms, "
                      "0.58 ms with MALLOC_TRIM_THRESHOLD_=1e8, measured at N = 25000, D = 4); "
                      "the ratio moves between 0.85 and 1.9 from one process to the next",
    "ctc": "the recursions loop over the frames in Python, a few NumPy operations on the "
           "whole batch per frame, forward in the value call and forward and backward in the "
           "gradient call, where PyTorch runs one compiled loop per sequence and its backward "
           "reuses the forward variables; the Python overhead per frame is what makes small "
           "batches slow (about 6x at 1e3 elements, N = 10)",
    "distillation": "its exponentials: three softmaxes over the batch (student at T, teacher "
                    "at T, student at 1) in the value call and again in the gradient call, "
                    "each a float64 exponential (1.1 ms at 1e5 here), where PyTorch's backward "
                    "reuses the forward's; 1.0x to 1.5x from one run to the next",
    "dice_bce": "the per-pixel cross-entropy and the probabilities are computed in both the "
                "value and the gradient call, and its fresh temporaries meet the allocation "
                "effect described for Huber; 1.2x to 2.0x from one run to the next",
}


def plain_cross_entropy(logits, target):
    """Cross-entropy and its gradient in plain NumPy, as one writes them by hand.

    Max, exp, sum, log, one gather for the value; the gradient reuses the softmax and
    subtracts 1 at the target entries only. Value and gradient come from one softmax,
    where lossbook's ``cross_entropy`` and ``cross_entropy_grad`` are two calls.
    """
    rows = np.arange(len(target))
    m = logits.max(axis=1, keepdims=True)
    e = np.exp(logits - m)
    s = e.sum(axis=1, keepdims=True)
    value = np.mean(np.log(s[:, 0]) + m[:, 0] - logits[rows, target])
    grad = e / s
    grad[rows, target] -= 1
    grad /= len(target)
    return value, grad


def plain_nll(log_probs, target):
    """NLL and its gradient in plain NumPy: one gather, and -1/N at the target entries."""
    rows = np.arange(len(target))
    value = -np.mean(log_probs[rows, target])
    grad = np.zeros_like(log_probs)
    grad[rows, target] = -1 / len(target)
    return value, grad


PLAIN = {"cross_entropy": plain_cross_entropy, "nll": plain_nll}


def shapes_for(spec, size):
    """Inputs of about ``size`` elements in the prediction."""
    if spec.layout == "elementwise":
        return dict(n=int(size), width=1)
    if spec.layout == "alignments":  # targets of up to 11 labels over T = 24 frames
        return dict(n=max(int(size) // (NUM_CLASSES * 24), 1), width=10)
    return dict(n=max(int(size) // NUM_CLASSES, 1))


def median_time(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench(spec, size, repeats, rng, params=None):
    """Median times of lossbook's value + gradient and of PyTorch's forward + backward,
    and of the reference (plain NumPy or one memory pass; None if there is none)."""
    params = spec.param_sets[0] if params is None else params
    args = draw_inputs(spec, rng, **shapes_for(spec, size), params=params)
    kwargs = kwargs_for(spec, params, args)

    def ours():
        spec.loss(*args, **kwargs)
        spec.grad(*args, **kwargs)

    tensors = [torch.from_numpy(a) for a in args]
    first = tensors[0].requires_grad_(True)

    def theirs():
        first.grad = None
        REFERENCES[spec.name](*tensors, **kwargs, reduction=spec.reductions[0]).backward()

    reference = fresh = None
    if spec.name in PLAIN:
        reference = median_time(lambda: PLAIN[spec.name](*args), repeats)
    elif spec.layout == "elementwise":
        out = np.empty_like(args[0])
        reference = median_time(lambda: np.add(args[0], args[1], out=out), repeats)
        # the same pass into a fresh array, as a function that returns its result must
        # allocate one: its pages are faulted in on first write
        fresh = median_time(lambda: np.add(args[0], args[1]), repeats)
    return median_time(ours, repeats), median_time(theirs, repeats), reference, fresh


def load_average():
    try:
        return os.getloadavg()
    except OSError:
        return (float("nan"),) * 3


def shown_load(load):
    return "load average {:.2f}, {:.2f}, {:.2f} (1, 5, 15 min)".format(*load)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e3, 1e5, 1e7])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--options-size", type=float, default=1e6)
    parser.add_argument("--output", help="also write the tables to this markdown file")
    parser.add_argument("--losses", nargs="+", metavar="NAME",
                        help="time only these catalog entries (default: every one)")
    options = parser.parse_args()
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    specs = [s for s in CATALOG if s.name not in QUADRATIC]
    if options.losses:
        unknown = sorted(set(options.losses) - {s.name for s in specs})
        if unknown:
            parser.error(f"--losses: not timed catalog entries: {', '.join(unknown)}")
        specs = [s for s in specs if s.name in options.losses]
    sizes = [int(s) for s in options.sizes]
    start_load = load_average()
    header = ("| loss | " + " | ".join(f"{s:.0e} lossbook / torch (ms)" for s in sizes)
              + f" | {sizes[-1]:.0e} lossbook / reference |")
    lines = [header, "|" + "---|" * (len(sizes) + 2)]
    ratios = {s: [] for s in sizes}
    worst, passes = {}, {}
    for spec in specs:
        cells = []
        for size in sizes:
            repeats = options.repeats if size < 1e7 else max(options.repeats // 2, 2)
            ours, theirs, reference, fresh = bench(spec, size, repeats, rng)
            ratios[size].append(ours / theirs)
            if size >= 1e5:
                worst[spec.name] = max(worst.get(spec.name, 0), ours / theirs)
            cells.append(f"{ours * 1e3:.3g} / {theirs * 1e3:.3g} = **{ours / theirs:.2f}**")
        if reference is None:
            cells.append("")
        elif spec.name in PLAIN:
            cells.append(f"{ours * 1e3:.3g} / {reference * 1e3:.3g} (plain NumPy) = "
                         f"**{ours / reference:.2f}**")
        else:
            cells.append(f"{ours * 1e3:.3g} / {reference * 1e3:.3g} (np.add pass; "
                         f"{fresh * 1e3:.3g} into a fresh array) = **{ours / reference:.2f}**")
            passes[spec.name] = (ours / reference, fresh / reference)
        lines.append(f"| {spec.name} | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)
    geomeans = [math.exp(statistics.fmean(math.log(r) for r in ratios[s])) for s in sizes]
    lines.append("| geometric mean of ratios | " + " | ".join(f"**{g:.2f}**" for g in geomeans)
                 + " | |")

    size = int(options.options_size)
    option_lines = [f"| loss | option | {size:.0e} lossbook / torch (ms) |", "|---|---|---|"]
    for spec in specs:
        for params in spec.param_sets[1:]:
            ours, theirs, _, _ = bench(spec, size, options.repeats, rng, params)
            shown = ", ".join(f"{k}={v}" for k, v in params.items() if not k.startswith("_"))
            drawn = {**params.get("_domains", {}),
                     **{k: f"{d} array {t}" for k, (d, t) in params.get("_arrays", {}).items()}}
            if drawn:
                shown += " (" + ", ".join(f"{k}: {v}" for k, v in drawn.items()) + ")"
            option_lines.append(f"| {spec.name} | {shown} | {ours * 1e3:.3g} / "
                                f"{theirs * 1e3:.3g} = **{ours / theirs:.2f}** |")
            print(option_lines[-1], flush=True)

    machine = (f"{cpu_model()}, {os.cpu_count()} cores, "
               f"{torch.get_num_threads()} torch thread, 1 BLAS thread, numpy "
               f"{np.__version__}, torch {torch.__version__}, Python "
               f"{platform.python_version()}")
    text = "\n".join(lines) + f"\n\nMachine: {machine}.\n"
    end_load = load_average()
    text += f"Load at the start: {shown_load(start_load)}; at the end: {shown_load(end_load)}.\n"
    if max(start_load[0], end_load[0]) > 2:
        text += ("\n**The machine was busy during this run** (a 1-minute load average above 2 "
                 "on 2 cores: other work competed for them), so the ratios are less reliable "
                 "than on a quiet machine; both sides of each ratio ran under the same load.\n")
    slow = [(name, ratio) for name, ratio in worst.items() if ratio > TARGET]
    if slow:
        text += f"\nSlower than {TARGET}x PyTorch at 1e5 or more elements, and why:\n\n"
        text += "\n".join(f"- **{name}** (up to {ratio:.1f}x): "
                          f"{SLOWER_BECAUSE.get(name, 'not explained yet')}." for name, ratio in slow)
        text += "\n"
    over = [(name, *passes[name]) for name in ONE_PASS_TARGET if passes.get(name, (0,))[0] > 3]
    if over:
        text += (f"\nValue and gradient above 3 passes over memory at {sizes[-1]:.0e} "
                 "elements, and what bounds them:\n\n")
        text += "\n".join(
            f"- **{name}**: {ratio:.1f} passes. The pass into a fresh array alone costs "
            f"{fresh:.1f} passes (page faults on first write), and value and gradient "
            "need at least two such passes: the residual for the value, and the gradient, "
            "returned in a fresh array; each further NumPy operation adds one."
            for name, ratio, fresh in over) + "\n"
    text += ("\nAt 1e5 elements the ratios move from one process to the next by up to a factor "
             "of two: a loss's fresh temporaries (0.8 MB each) are returned to the system by "
             "glibc when freed and faulted in again at the next call. Measured for Huber at "
             "1e5: 1.59 ms for value and gradient, 0.31 ms with MALLOC_TRIM_THRESHOLD_ and "
             "MALLOC_MMAP_THRESHOLD_ set to 1e8 (PyTorch's time barely moves); lossbook keeps "
             "temporaries few and works in place where it can.\n")
    text += "\nEvery other tested option:\n\n" + "\n".join(option_lines) + "\n"
    print(text)
    if options.output:
        with open(options.output, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
