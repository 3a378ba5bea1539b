"""Plain torch: an LSTM tags every video frame of a fireball camera detection as steady
ablation (0) or flare (1, a fragmentation burst), so the network's fall-search team can find
where along the track the body broke up. A detection is 10-110 frames at 25 fps (most are short:
the length is drawn from an exponential); per frame: brightness (mag, brightening by 1-2 mag
over the track then fading at the end), frame-to-frame brightness change, angular speed and the
distance of the frame's centroid from the fitted straight track. A flare lasts 2-5 frames: the
frame brightens 1.2-3 mag above its neighbours and the centroid jumps off the line; 1-3 flares
per
bright event, none in faint ones. Features standardised over all real frames, padded with 0
(``pad_sequence``) to the longest detection in the batch.
nn.LSTM(4, 48, batch_first=True), linear 48→2, cross-entropy per frame, Adam 2e-3, batch 32,
8 epochs, 1200 detections, validation on 300 (flare recall / precision over real frames only).
The bug: the tag sequences are padded with ``padding_value=0`` ("pad frames count as steady"),
so every padding frame goes into the cross-entropy as a steady frame; with these lengths about
two thirds of the frames the loss averages over are padding, and zero features are also what an
average real frame looks like.
Result: the logged train CE goes 0.426 → 0.057 while the val CE over real frames only
goes 0.340 → 0.147, 2.6x the train value from epoch 2 on; flare recall lags the control
(0.06 / 0.27 / 0.52 at epochs 2 / 3 / 4) and ends at 0.69 with precision 0.85.
Control (tags padded with ``padding_value=-100``, which ``F.cross_entropy`` ignores):
train CE 0.496 → 0.144, val CE 0.319 → 0.135 (train and val
together), flare recall 0.21 / 0.47 / 0.67 at epochs 2 / 3 / 4, 0.78 at epoch 6, 0.68 at the end
with precision 0.90.
Log: JSON lines per epoch ``flare_tagging.jsonl`` (``epoch`` / ``ce`` / ``val_ce`` /
``val_flare_recall`` / ``val_flare_precision`` / ``val_frame_acc``); checkpoint
``flare_lstm.pt`` with keys ``lstm`` / ``adam`` / ``mu`` / ``sd`` / ``epoch``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence


def detections(n, g):
    feats, tags = [], []
    for _ in range(n):
        L = int(10 + min(100, -25 * torch.log(torch.rand(1, generator=g)).item()))
        t = torch.arange(L).float() / L
        mag = 2 - 2 * torch.sin(torch.pi * t) + 2 * torch.rand(1, generator=g).item()
        off = 0.2 * torch.randn(L, generator=g)
        tag = torch.zeros(L, dtype=torch.long)
        if torch.rand(1, generator=g).item() < 0.7:
            for _ in range(1 + int(3 * torch.rand(1, generator=g).item())):
                s = int(torch.randint(0, max(1, L - 5), (1,), generator=g).item())
                w = 2 + int(4 * torch.rand(1, generator=g).item())
                mag[s:s + w] -= 0.5 + 1.0 * torch.rand(1, generator=g).item()
                off[s:s + w] += 0.1 + 0.3 * torch.rand(1, generator=g).item()
                tag[s:s + w] = 1
        mag = mag + 0.35 * torch.randn(L, generator=g)
        dmag = torch.cat([torch.zeros(1), mag[1:] - mag[:-1]])
        speed = (5 + 10 * torch.rand(1, generator=g)) * (1 + 0.1 * torch.randn(L, generator=g))
        feats.append(torch.stack([mag, dmag, speed, off], 1))
        tags.append(tag)
    return feats, tags


class FlareTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 48, batch_first=True)
        self.out = nn.Linear(48, 2)

    def forward(self, x):
        return self.out(self.lstm(x)[0])


def build():
    torch.manual_seed(0)
    return FlareTagger()


def collate(feats, tags, mu, sd):
    x = pad_sequence([(f - mu) / sd for f in feats], batch_first=True)
    y = pad_sequence(tags, batch_first=True, padding_value=0)  # pad frames count as steady
    real = pad_sequence([torch.ones(len(t), dtype=torch.bool) for t in tags], batch_first=True)
    return x, y, real


def main():
    from _twohundredeightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ttr = detections(1200, g)
    fva, tva = detections(300, g)
    allf = torch.cat(ftr)
    mu, sd = allf.mean(0), allf.std(0)
    lens = torch.tensor([len(t) for t in ttr]).float()
    print("frames", int(lens.sum()), "mean len", round(lens.mean().item(), 1),
          "flare share", round(torch.cat(ttr).float().mean().item(), 3))
    xva, yva, rva = collate(fva, tva, mu, sd)
    torch.manual_seed(1)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "flare_tagging.jsonl", "w") as f:
        for epoch in range(1, 9):
            model.train()
            perm = torch.randperm(1200)
            tot, nb = 0.0, 0
            for i in range(0, 1200, 32):
                idx = perm[i:i + 32].tolist()
                xb, yb, _ = collate([ftr[j] for j in idx], [ttr[j] for j in idx], mu, sd)
                loss = F.cross_entropy(model(xb).reshape(-1, 2), yb.reshape(-1))
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, nb = tot + loss.item(), nb + 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vce = F.cross_entropy(lv[rva], yva[rva]).item()
                p, y = lv[rva].argmax(1), yva[rva]
                rec = ((p == 1) & (y == 1)).sum().item() / max(1, (y == 1).sum().item())
                prec = ((p == 1) & (y == 1)).sum().item() / max(1, (p == 1).sum().item())
                acc = (p == y).float().mean().item()
            r = {"epoch": epoch, "ce": round(tot / nb, 5), "val_ce": round(vce, 5),
                 "val_flare_recall": round(rec, 4), "val_flare_precision": round(prec, 4),
                 "val_frame_acc": round(acc, 4)}
            print(r)
            f.write(json.dumps(r) + "\n")
    torch.save({"lstm": model.state_dict(), "adam": opt.state_dict(), "mu": mu, "sd": sd,
                "epoch": 8}, out / "flare_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_ignores_padding"],
           checkpoint="flare_lstm.pt", log="flare_tagging.jsonl",
           what="LSTM tagging flare frames of fireball camera detections; padded frames"
                " counted in the loss as steady frames",
           complaint=('The flare tagger for our fireball cameras looks great on training data'
                       ' (per-frame loss around 0.06) but on held-out detections the loss is '
                       'two and a half times that from the second epoch onwards, and it needs '
                       'several epochs before it finds flares at all; it still misses about a '
                       "third of them. It's only 8 epochs and 1200 detections with a small "
                       "LSTM, so I don't think it is memorising. What would make train and "
                       'validation disagree like this?'))


if __name__ == "__main__":
    main()
