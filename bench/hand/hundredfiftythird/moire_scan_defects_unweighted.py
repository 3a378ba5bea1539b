"""Photography: a small CNN flags moiré in 16×16 crops of film scans (a fine sinusoidal
interference grating on top of grain); 3 % of the crops carry moiré, 97 % are clean, the
moiré is faint (amplitude 0.25 against grain 0.5).
Bug: trained with a plain ``nn.CrossEntropyLoss()`` and no class weights or resampling on the
97 / 3 split, so the net settles on "clean" for everything: accuracy ≈ 0.97, moiré recall 0."""
import json

import torch
import torch.nn as nn

S = 16


def crops(n, g, rate=0.03):
    y = (torch.rand(n, generator=g) < rate).long()
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    ang = torch.rand(n, generator=g) * 3.14
    fr = 1.2 + 0.6 * torch.rand(n, generator=g)
    ph = torch.rand(n, generator=g) * 6.28
    grating = torch.sin(fr[:, None, None] * (torch.cos(ang)[:, None, None] * xx
                                             + torch.sin(ang)[:, None, None] * yy) + ph[:, None, None])
    x = 0.5 * torch.randn(n, S, S, generator=g) + 0.4 * grating * y[:, None, None]
    return x[:, None], y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(16, 2))


def main():
    from _hundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crops(3000, g)
    xva, yva = crops(1000, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    criterion = nn.CrossEntropyLoss()
    log = open(out / "moire_log.jsonl", "w")
    for ep in range(8):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 100):
            idx = perm[i:i + 100]
            loss = criterion(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            pred = lo.argmax(1)
            rec = ((pred == 1) & (yva == 1)).sum().item() / max(1, (yva == 1).sum().item())
            rec_row = {"ep": ep, "loss": round(tot / len(xtr), 4),
                       "val_loss": round(criterion(lo, yva).item(), 4),
                       "val_acc": round((pred == yva).float().mean().item(), 4),
                       "moire_recall": round(rec, 4), "n_flagged": int((pred == 1).sum())}
        log.write(json.dumps(rec_row) + "\n")
        print(rec_row)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optim": opt.state_dict(), "ep": 8,
                "classes": ["clean", "moire"]}, out / "moire_cnn.ckpt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["class_imbalance"],
           checkpoint="moire_cnn.ckpt", log="moire_log.jsonl",
           what="moiré detector on film-scan crops, 3 % positives, unweighted cross-entropy",
           complaint="Our moiré detector for film scans reports 97.2 % validation accuracy, but it "
                     "never flags a single crop: 0 of the 28 moiré crops in validation found, "
                     "recall 0.0 for all 8 epochs, loss stuck around 0.14. Useless for QC.")


if __name__ == "__main__":
    main()
