"""Plain torch: an MLP flags four equipment faults on an offshore oil rig's mud-pump skid
(liner washout, valve wear, pulsation-dampener loss, shale-shaker screen tear; multi-label,
any number at once) from 14 numbers the drilling data system averages per 10-minute window
(standpipe pressure and its ripple, stroke rate, pump efficiency, flow-out paddle, discharge
temperature, vibration bands, ...). Each fault shifts its own few readings. MLP 14-64-64-4,
``BCEWithLogitsLoss``, Adam 1e-3, batch 64, 20 epochs of 2048 windows, shuffled.
Log: TSV every 8 steps (``step``, ``epoch``, ``loss``) plus one epoch row with ``val_loss``,
``val_f1``; checkpoint ``net`` / ``opt`` / ``epoch`` / ``step``.
The bug: the targets are read from the maintenance sheet's severity columns (0 = none,
1 = minor, 2 = critical) instead of its 0/1 ``present`` columns; nothing checks that a BCE
target is in [0, 1]. For a target of 2 the BCE term ``softplus(z) - 2 z`` has no minimum, so the
loss falls without bound and the logits of the critical rows grow: last-batch loss 0.574 at
epoch 1, below zero from epoch 6 (−0.056), −2.24 at epoch 20; val BCE 0.547 → −1.67; the
largest val logit 0.0, 12, 49, 140 at epochs 1, 8, 14, 20; val F1 (faults present) 0.75.
Control (``> 0`` on the severity columns, i.e. 0/1 targets): val BCE 0.168, val F1 0.80,
largest val logit 12 at epoch 20, loss 0.10–0.13 at the end."""
import torch
import torch.nn as nn

SEVERITY_FROM_SHEET = True


def windows(n, g):
    x = torch.randn(n, 14, generator=g)
    sev = torch.zeros(n, 4, dtype=torch.long)
    score = torch.stack([x[:, 0] + 0.7 * x[:, 1] * x[:, 2],
                         x[:, 3] - 0.6 * x[:, 4] ** 2 + 0.5,
                         x[:, 5] * 0.9 + 0.6 * torch.tanh(x[:, 6] * 2),
                         x[:, 7] - 0.8 * x[:, 8].abs() + 0.4], 1)
    sev[score > 0.9] = 1
    sev[score > 1.7] = 2
    return x, sev


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(14, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def f1(logits, present):
    p = logits > 0
    tp = (p & present).sum().item()
    return 2 * tp / max(1, p.sum().item() + present.sum().item())


def main():
    from _hundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, str_ = windows(2048, g)
    xva, sva = windows(256, g)
    ytr = str_.float() if SEVERITY_FROM_SHEET else (str_ > 0).float()
    yva = sva.float() if SEVERITY_FROM_SHEET else (sva > 0).float()
    print("label values", ytr.unique().tolist(), "positive share", (str_ > 0).float().mean(0))
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "train_log.tsv", "w") as f:
        f.write("step\tepoch\tloss\tval_loss\tval_f1\n")
        for epoch in range(1, 21):
            model.train()
            for xb, yb in train:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 8 == 0:
                    f.write(f"{step}\t{epoch}\t{loss.item():.4f}\t\t\n")
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            vl, vf = crit(lv, yva).item(), f1(lv, sva > 0)
            f.write(f"{step}\t{epoch}\t\t{vl:.4f}\t{vf:.4f}\n")
            print(epoch, round(loss.item(), 4), round(vl, 4), round(vf, 4),
                  "max logit", round(lv.max().item(), 1))
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 20, "step": step},
               out / "pump_faults.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
           checkpoint="pump_faults.pt", log="train_log.tsv",
           what="mud-pump multi-label fault MLP trained with BCE on 0/1/2 severity codes",
           complaint=("our mud pump fault model's loss went negative around epoch 6 and keeps dropping,"
                      " -2.2 on the last steps and val loss -1.67 after 20 epochs. Isn't BCE"
                      " supposed to stay positive? The raw outputs for some windows are over 100"
                      " now, and the F1 on the validation windows is stuck around 0.75."))


if __name__ == "__main__":
    main()
