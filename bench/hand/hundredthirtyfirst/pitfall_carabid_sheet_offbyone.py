"""Plain torch: an MLP identifies 6 ground-beetle (Carabidae) species from pitfall-trap
specimens by 9 morphometrics measured under the stereo microscope (body, elytra, pronotum
width/length, head width, antenna, hind tibia, eye diameter in mm, and a colour index), for an
entomology biodiversity survey. The measurements are stored in catalogue order (trap by trap,
species mixed); the taxonomist's identification sheet lists the species in the same catalogue
order. The loader skips the sheet's first line as a header (``SKIP = 1``) although the export
has no header row, then trims the measurement table to the labels' length: every specimen gets
the species of the next specimen in the catalogue. Standardised log features, Adam 2e-3,
batch 64, 12 epochs. Train loss 1.80 → 1.78 (ln 6 = 1.79), val loss 1.79-1.80, val top-1
0.16-0.20 (chance 0.17) from the first epoch. Control (``SKIP = 0``): train loss 0.021, val
loss 0.021, val top-1 0.992."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

SKIP = 1   # "first line of the sheet is the header"
MEANS = torch.tensor([  # body, elytra, pron_w, pron_l, head, antenna, tibia, eye, colour
    [14.0, 8.5, 4.2, 3.1, 2.9, 7.0, 3.8, 0.60, 0.2],
    [18.5, 11.0, 5.6, 3.9, 3.6, 8.2, 4.9, 0.72, 0.8],
    [9.5, 5.8, 3.0, 2.2, 2.1, 4.6, 2.5, 0.48, 0.5],
    [22.0, 13.5, 6.8, 4.8, 4.5, 11.0, 6.1, 0.80, 0.3],
    [12.0, 7.0, 3.9, 2.6, 2.4, 6.8, 3.2, 0.55, 0.9],
    [16.0, 10.0, 4.6, 3.8, 3.1, 7.4, 4.5, 0.66, 0.1]])


def catalogue(n, g):
    sp = torch.randint(0, 6, (n,), generator=g)
    size = 1 + 0.06 * torch.randn(n, 1, generator=g)
    x = MEANS[sp] * size * (1 + 0.04 * torch.randn(n, 9, generator=g))
    x[:, 8] = MEANS[sp, 8] + 0.08 * torch.randn(n, generator=g)
    return x, sp


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 6))


def main():
    from _hundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    meas, sheet = catalogue(2401, g)          # measurement table, identification sheet
    species = sheet[SKIP:]
    meas = meas[:len(species)]
    f = torch.cat([torch.log(meas[:, :8]), meas[:, 8:]], 1)   # colour index is not a length
    f = (f - f.mean(0)) / f.std(0)
    xtr, ytr, xva, yva = f[:1900], species[:1900], f[1900:], species[1900:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "carabid_metrics.jsonl", "w")
    for epoch in range(12):
        model.train()
        tl = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(64):
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"ep": epoch + 1, "loss": round(tl / len(xtr), 4),
                   "val/loss": round(F.cross_entropy(lo, yva).item(), 4),
                   "val/top1": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "ep": 12,
                "features": ["body", "elytra", "pron_w", "pron_l", "head", "antenna", "tibia",
                             "eye", "colour"]}, out / "carabid_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="carabid_mlp.ckpt", log="carabid_metrics.jsonl",
           what="carabid morphometrics MLP, identification sheet joined one row off (a "
                "non-existent header skipped), each specimen labelled with its neighbour's species",
           complaint="步甲形态测量的 MLP 完全学不会：训练 12 个 epoch，训练 loss 从 1.80 只降到 "
                     "1.78，验证 loss 一直在 1.79-1.80，验证 top-1 只有 0.16-0.20，和 6 个种"
                     "随便猜差不多。这些种在显微镜下明明很好区分，体长都差好几毫米。")


if __name__ == "__main__":
    main()
