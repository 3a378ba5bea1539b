"""A restaurant kitchen's deep fryers log the oil temperature and a capacitive total-polar-
materials (TPM) sensor at 2 Hz; a 1-D CNN reads one 48-second fry cycle (basket drop, the
temperature dip, the heater's recovery; 96 samples × 3 channels: oil temperature, TPM and
heater duty) and tags it: fresh oil, degraded oil (TPM high, slower recovery, foam noise),
overloaded basket (a deep dip, slow recovery) or a thermostat fault (the heater hunts: an
oscillation around the set point). Channels are scaled with fixed constants from the sensor
sheet ((T − 175) / 10, (TPM − 14) / 6, duty as 0–1). Four conv blocks (Conv1d, BatchNorm1d,
ReLU), dropout 0.3 before the head. SGD momentum 0.9, lr 0.1, batch 32, 30 epochs on 640
cycles. Before training, the script prints the untrained model's validation accuracy with a
small helper."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ["fresh", "degraded_oil", "overloaded_basket", "thermostat_fault"]
T = 96


def cycles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rn = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T).float()[None, :] / 2.0  # seconds
    drop = (4 + 8 * r(n, 1)).round()
    after = (t - drop).clamp(min=0)
    on = (t >= drop).float()
    setp = 175 + 4 * rn(n, 1)
    dip = 12 + 5 * r(n, 1)
    tau = 7 + 4 * r(n, 1)
    tpm = 10 + 6 * r(n, 1)
    foam = 0.3 * torch.ones(n, 1)
    osc = torch.zeros(n, 1)
    k = y[:, None]
    tpm = torch.where(k == 1, 21 + 5 * r(n, 1), tpm)
    tau = torch.where(k == 1, tau * 1.5, tau)
    foam = torch.where(k == 1, 0.9 * torch.ones(n, 1), foam)
    dip = torch.where(k == 2, dip * 1.8, dip)
    tau = torch.where(k == 2, tau * 1.6, tau)
    osc = torch.where(k == 3, 2.5 + 3 * r(n, 1), osc)
    period = 10 + 8 * r(n, 1)
    phase = 6.28 * r(n, 1)
    temp = (setp - on * dip * after / (after + 1.0) * torch.exp(-after / tau)
            + osc * torch.sin(6.28 * t / period + phase) + foam * rn(n, T))
    tpm_tr = tpm + 0.4 * rn(n, T) + on * 0.8 * torch.exp(-after / 6)
    duty = ((setp - temp) / 6).clamp(0, 1) + 0.05 * rn(n, T)
    x = torch.stack([(temp - 175) / 10, (tpm_tr - 14) / 6, duty], 1)
    return x, y


class FryerCNN(nn.Module):
    def __init__(self):
        super().__init__()
        chans, layers = [3, 32, 32, 64, 64], []
        for a, b in zip(chans[:-1], chans[1:], strict=True):
            layers += [nn.Conv1d(a, b, 5, padding=2), nn.BatchNorm1d(b), nn.ReLU(),
                       nn.MaxPool1d(2)]
        self.features = nn.Sequential(*layers)
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        return self.head(self.drop(self.features(x).mean(-1)))


def build():
    torch.manual_seed(0)
    return FryerCNN()


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        lo = model(x)
    return F.cross_entropy(lo, y).item(), (lo.argmax(1) == y).float().mean().item()


def main():
    from _hundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cycles(640, g)
    xva, yva = cycles(400, g)
    torch.manual_seed(0)
    model = build()
    print("untrained val acc", evaluate(model, xva, yva)[1])
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    log = open(out / "fryer_train.jsonl", "w")
    for epoch in range(30):
        perm = torch.randperm(len(xtr))
        tot, correct = 0.0, 0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            lo = model(xtr[idx])
            loss = F.cross_entropy(lo, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            correct += (lo.argmax(1) == ytr[idx]).sum().item()
        vl, va = evaluate(model, xva, yva)
        row = {"epoch": epoch, "train_loss": round(tot / len(xtr), 4),
               "train_acc": round(correct / len(xtr), 4), "val_loss": round(vl, 4),
               "val_acc": round(va, 4)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 30, "classes": CLASSES}, out / "fryer_cnn.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["train_in_eval_mode"],
           checkpoint="fryer_cnn.pt", log="fryer_train.jsonl",
           what="fryer-cycle CNN trained in eval mode (model.eval() in the baseline helper, "
                "model.train() never called)",
           complaint="The fryer-cycle classifier won't train properly. Train loss goes 1.13, 1.10, "
                     "0.79, 0.94, 0.83 ... and val accuracy jumps between 0.51 and 0.82 for "
                     "the first 8 epochs, then it gets stuck: from epoch 8 on val accuracy only "
                     "flips between 0.51 and 0.5225, and from epoch 10 the train loss is 0.83 "
                     "every epoch, until epoch 30 (epochs counted from 0 in my log). The data is not hard (the sensor traces look clearly different "
                     "by eye), so I expected well above 90 %.")


if __name__ == "__main__":
    main()
