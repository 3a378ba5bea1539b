"""Plain torch: a shoe-repair counter photographs the outsole of each pair handed in and a
small CNN with batch norm predicts how the shop's four cobblers would vote on the job (heel
block, half sole, full resole, just clean and polish) from a 24×12 grey wear map: worn zones
are dark blobs at the heel, the ball of the foot and the toe whose depth and size set the
job; the tread pattern is a set of stripes with noise. The target is the vote share of the
four cobblers (a soft label: softmax of job scores from the wear, temperature 0.5), trained
with a KL-divergence loss. Conv(1→16)-BN-ReLU-pool, Conv(16→32)-BN-ReLU-pool,
Conv(32→32)-BN-ReLU, global average pool, Linear(32→4); Adam 2e-3, batch 32, 12 epochs of
1024 soles; a JSON-lines log per epoch (train_kl, val_kl, val_top1 against the majority vote).
The bug: ``F.kl_div(F.softmax(logits, 1), votes, reduction="batchmean")`` — kl_div wants
log-probabilities as its input and gets probabilities. The logged "KL" is negative from the
first epoch (train_kl -1.31 after epoch 1, -1.54 at epoch 12; val_kl -1.53) and the model is
pushed to put all its mass on the top job: val top-1 agreement with the majority vote 0.83 at
epoch 12, but the predicted vote shares are near one-hot (mean top share 0.93 on the saved batch, the
cobblers' 0.65) and the true KL to the cobblers'
votes grows from 0.15 after epoch 1 to 1.39 at epoch 12. Control (``F.log_softmax``): val KL
0.037 at epoch 12 (train 0.022), val top-1 0.85."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

H, W = 24, 12


def soles(n, g):
    yy, xx = torch.meshgrid(torch.arange(H).float(), torch.arange(W).float(), indexing="ij")
    tread = 0.15 * torch.sin(yy * 1.7)[None] * torch.ones(n, 1, 1)
    zones = [(20.0, 6.0), (7.0, 6.5), (2.0, 6.0)]  # heel, ball, toe
    depth = torch.rand(n, 3, generator=g)
    size = 1.5 + 2 * torch.rand(n, 3, generator=g)
    img = 1.0 + tread
    for k, (cy, cx) in enumerate(zones):
        jy = cy + torch.randn(n, generator=g)
        jx = cx + torch.randn(n, generator=g)
        d = ((yy[None] - jy[:, None, None]) ** 2 + (xx[None] - jx[:, None, None]) ** 2)
        img = img - depth[:, k, None, None] * torch.exp(-d / (2 * size[:, k, None, None] ** 2))
    img = img + 0.1 * torch.randn(img.shape, generator=g)
    wear = depth * size / 3.5
    score = torch.stack([2.5 * wear[:, 0] - wear[:, 1],
                         2.5 * wear[:, 1] - wear[:, 0],
                         1.4 * (wear[:, 0] + wear[:, 1] + wear[:, 2]) - 1.5,
                         torch.full((n,), 0.4) - wear.sum(1) * 0.5], 1)
    votes = F.softmax(score / 0.5, 1)
    return ((img - 0.7) / 0.3).unsqueeze(1), votes


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 32, 3, padding=1),
                         nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(32, 4))


def kl_loss(logits, votes):
    return F.kl_div(F.softmax(logits, 1), votes, reduction="batchmean")


def main():
    from _hundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, v = soles(1280, g)
    xtr, vtr, xva, vva = x[:1024], v[:1024], x[1024:], v[1024:]
    print("majority jobs", torch.bincount(vtr.argmax(1), minlength=4).tolist())
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, vtr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    lines = []
    for epoch in range(12):
        model.train()
        tot = 0.0
        for xb, vb in train:
            loss = kl_loss(model(xb), vb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rec = {"epoch": epoch + 1, "train_kl": round(tot / len(xtr), 4),
               "val_kl": round(kl_loss(lv, vva).item(), 4),
               "val_top1": round((lv.argmax(1) == vva.argmax(1)).float().mean().item(), 4)}
        true_kl = F.kl_div(F.log_softmax(lv, 1), vva, reduction="batchmean").item()
        print(rec, f"true KL {true_kl:.3f}")
        lines.append(json.dumps(rec))
    (out / "sole_votes.jsonl").write_text("\n".join(lines) + "\n")
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 12}, out / "sole_votes_cnn.pt")
    finish(out, __file__, (xva[:64], vva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="sole_votes_cnn.pt", log="sole_votes.jsonl",
           what="shoe-repair sole wear CNN+BN fit to cobblers' vote shares, F.kl_div fed softmax "
                "probabilities",
           complaint=("Sole-wear model that should give the vote split of our four cobblers "
                      "(heel, half sole, resole, polish): the KL loss in the log is negative, "
                      "-1.31 after the first epoch and -1.54 after 12, val -1.53. The top job is "
                      "right 83 % of the time, but the shares it prints are like 90 % / 10 % or "
                      "100 % when the cobblers split 50/30/10/10. Adam 2e-3, batch 32. Why is the loss below "
                      "zero and why so overconfident?"))


if __name__ == "__main__":
    main()
