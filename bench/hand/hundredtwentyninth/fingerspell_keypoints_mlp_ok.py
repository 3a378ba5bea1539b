"""Sign language: static fingerspelling letters from 21 hand keypoints (the MediaPipe-Hands
layout: wrist, then 4 joints for each of thumb, index, middle, ring, pinky), an MLP on
wrist-centred, scale-normalised (x, y, z). Synthetic hands: each finger is a 3-segment chain
whose joints flex by a letter's template (straight / half / curled, per finger, plus finger
spread for V and W) with ±0.25 rad of per-signer jitter; the hand is rotated in the image
plane by ±35°, tilted in depth by ±20°, scaled 0.8–1.25 and shifted, keypoint noise 0.03 (the
detector); 10 one-hand letters A B C D E F I L V W. Normalisation as in the app: subtract the
wrist, divide by the wrist→middle-MCP distance. MLP 63→128→128→10, ReLU, dropout 0.3,
cross-entropy with label smoothing 0.1, AdamW 1e-3 (wd 1e-2) with a cosine schedule over 12
epochs of 3000 hands, batch 64; JSON lines per epoch.
Healthy, though the loss looks stuck high: validation top-1 0.83 after epoch 1, 0.9975 after
epoch 2 and 1.00 from epoch 3 on, while the loss flattens at val 0.544 / train 0.593 and never
goes lower — the floor of label smoothing 0.1 over 10 classes is 0.50 (the target's entropy),
and train sits above val because of dropout 0.3; the lr is 0 at the end of the cosine."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LETTERS = list("ABCDEFILVW")
# flexion per finger (thumb, index, middle, ring, pinky): 0 straight, 1 half, 2 curled
TEMPLATES = torch.tensor([[0, 2, 2, 2, 2], [2, 0, 0, 0, 0], [1, 1, 1, 1, 1], [1, 0, 2, 2, 2],
                          [2, 2, 2, 2, 2], [1, 2, 0, 0, 0], [2, 2, 2, 2, 0], [0, 0, 2, 2, 2],
                          [2, 0, 0, 2, 2], [2, 0, 0, 0, 2]]).float()
SPREAD = torch.tensor([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]).float()
BASE_ANGLE = torch.tensor([-0.9, -0.25, 0.0, 0.25, 0.5])
BASE_R = torch.tensor([0.45, 0.95, 1.0, 0.95, 0.85])
SEG = torch.tensor([[0.45, 0.35, 0.3], [0.45, 0.3, 0.25], [0.5, 0.33, 0.27], [0.45, 0.3, 0.25],
                    [0.35, 0.25, 0.2]])


def hands(n, g):
    y = torch.randint(0, len(LETTERS), (n,), generator=g)
    flex = TEMPLATES[y] * 0.75 + 0.25 * (torch.rand(n, 5, generator=g) * 2 - 1)
    spread = SPREAD[y][:, None] * 0.18 * torch.tensor([0, -1, 1, 0, 0.])
    pts = torch.zeros(n, 21, 3)
    for f in range(5):
        ang = BASE_ANGLE[f] + spread[:, f] if f else BASE_ANGLE[f].expand(n)
        d = torch.stack([torch.sin(ang), torch.cos(ang), torch.zeros(n)], 1)
        p = torch.stack([torch.sin(BASE_ANGLE[f]) * BASE_R[f],
                         torch.cos(BASE_ANGLE[f]) * BASE_R[f], torch.tensor(0.)]).expand(n, 3)
        pts[:, 1 + 4 * f] = p
        phi = torch.zeros(n)
        for k in range(3):
            phi = phi + flex[:, f]
            step = d * torch.cos(phi)[:, None] + torch.tensor([0, 0, -1.]) * torch.sin(phi)[:, None]
            p = p + SEG[f, k] * step
            pts[:, 2 + 4 * f + k] = p
    rot = (torch.rand(n, generator=g) * 2 - 1) * math.radians(35)
    tilt = (torch.rand(n, generator=g) * 2 - 1) * math.radians(20)
    c, s = torch.cos(rot), torch.sin(rot)
    x, yy, z = pts[..., 0], pts[..., 1], pts[..., 2]
    x, yy = c[:, None] * x - s[:, None] * yy, s[:, None] * x + c[:, None] * yy
    ct, st = torch.cos(tilt), torch.sin(tilt)
    yy, z = ct[:, None] * yy - st[:, None] * z, st[:, None] * yy + ct[:, None] * z
    pts = torch.stack([x, yy, z], -1) * (0.8 + 0.45 * torch.rand(n, 1, 1, generator=g))
    pts = pts + torch.rand(n, 1, 3, generator=g) * 2
    pts = pts + 0.03 * torch.randn(pts.shape, generator=g)
    return pts, y


def normalise(pts):
    rel = pts - pts[:, :1]
    scale = rel[:, 9].norm(dim=-1, keepdim=True)[:, :, None]
    return (rel / scale).flatten(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(63, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 128),
                         nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, len(LETTERS)))


def main():
    from _hundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    ptr, ytr = hands(3000, g)
    pva, yva = hands(800, g)
    xtr, xva = normalise(ptr), normalise(pva)
    mlp = build()
    opt = torch.optim.AdamW(mlp.parameters(), lr=1e-3, weight_decay=1e-2)
    steps = 12 * math.ceil(len(xtr) / 64)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    log = open(out / "fingerspell.jsonl", "w")
    for ep in range(12):
        mlp.train()
        perm = torch.randperm(len(xtr))
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(mlp(xtr[idx]), ytr[idx], label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        mlp.eval()
        with torch.no_grad():
            lv = mlp(xva)
        rec = {"ep": ep, "loss_tr": round(tot / len(xtr), 4),
               "loss_va": round(F.cross_entropy(lv, yva, label_smoothing=0.1).item(), 4),
               "top1_va": round((lv.argmax(1) == yva).float().mean().item(), 4),
               "lr": round(sched.get_last_lr()[0], 7)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"mlp": mlp.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                "letters": LETTERS, "keypoints": 21}, out / "fingerspell_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="fingerspell_mlp.pt", log="fingerspell.jsonl",
           what="fingerspelling-letter MLP on normalised hand keypoints (healthy)")


if __name__ == "__main__":
    main()
