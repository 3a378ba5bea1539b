"""Plain torch: a multi-label MLP for a taxidermy studio's intake desk, predicting which of four
preparation steps a specimen will need — degreasing, relaxing (rehydrating a dried skin),
freeze-drying instead of skinning (small specimens), slip repair (fur / feather loss) — from 10
numbers written on the intake card: body mass, days in the freezer, fat score, skin thickness,
dryness score, hair-slip score, odour score, bird / mammal / fish flag, length, and days since
death. Each step follows from a few of the features (e.g. freeze-drying: mass under ~0.4 kg and
not a fish) with some label noise. Features are min-max scaled to [0, 1] as the card ranges.
MLP 10-64-64-4 with ReLU, BCE with logits, Adam 1e-3, batch 64, 25 epochs of 1536 specimens.
Log: JSON lines every 12 steps (``step`` / ``epoch`` / ``bce``; ``val_bce`` / ``val_f1`` /
``val_exact`` added at each epoch's end). Checkpoint ``model`` / ``optimizer`` / ``epoch``.
The bug: ``IntakeNet.__init__`` fills both hidden layers' biases with -1.0 ("start sparse"):
on [0, 1] inputs the default-initialised first layer's weights (±0.32) can never lift a unit
over 1.0, so (almost) every first-layer ReLU is zero, the second layer sees zeros plus -1 and
is dead outright, and only the output biases learn the label frequencies. Train BCE 0.69 →
0.66–0.68, val BCE 0.696 → 0.676 at epoch 25, val F1 0.42 for 2 epochs then 0.355 from epoch 3
on, exact-match 0.090 (the same answer for every specimen); at the end 2 of 64 first-layer
units fire on any validation specimen (0.08 % of activations) and 0 of 64 second-layer units.
Control (biases filled with 0.0): val BCE 0.654 → 0.274, val F1 0.47 → 0.89, exact-match
0.125 → 0.69; 84 % of hidden activations non-zero."""
import json

import torch
import torch.nn as nn

STEPS = ["degrease", "relax", "freeze_dry", "slip_repair"]


def specimens(n, g):
    u = torch.rand(n, 10, generator=g)
    mass, frozen, fat, thick, dry, slip, odour, kind, length, dead = u.T
    kind = torch.floor(kind * 3) / 2  # 0 bird, 0.5 mammal, 1 fish
    mass = mass ** 2  # most specimens are small
    y = torch.stack([
        (fat + 0.5 * thick + 0.3 * (kind == 0.5).float()) > 0.95,
        (dry + 0.4 * frozen - 0.3 * fat) > 0.6,
        (mass < 0.15) & (kind < 1),
        (slip + 0.4 * dead + 0.3 * odour) > 0.85,
    ], 1).float()
    flip = torch.rand(n, 4, generator=g) < 0.03
    y = torch.where(flip, 1 - y, y)
    x = torch.stack([mass, frozen, fat, thick, dry, slip, odour, kind, length, dead], 1)
    return x, y


class IntakeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 64)
        self.fc2 = nn.Linear(64, 64)
        self.out = nn.Linear(64, 4)
        for layer in (self.fc1, self.fc2):
            layer.bias.data.fill_(-1.0)  # start sparse: only strong evidence fires a unit

    def forward(self, x):
        return self.out(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


def build():
    torch.manual_seed(0)
    return IntakeNet()


def main():
    from _hundredeightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = specimens(1792, g)
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    log = open(out / "intake_log.jsonl", "w")
    step = 0
    for epoch in range(25):
        model.train()
        for xb, yb in train:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 12 == 0:
                log.write(json.dumps({"step": step, "epoch": epoch, "bce": round(loss.item(), 4)})
                          + "\n")
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            pred = (lv > 0).float()
            tp = (pred * yva).sum()
            f1 = (2 * tp / (pred.sum() + yva.sum()).clamp(min=1)).item()
            rec = {"step": step, "epoch": epoch, "bce": round(loss.item(), 4),
                   "val_bce": round(loss_fn(lv, yva).item(), 4), "val_f1": round(f1, 4),
                   "val_exact": round((pred == yva).all(1).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    with torch.no_grad():
        h1 = torch.relu(model.fc1(xva))
        h2 = torch.relu(model.fc2(h1))
    print("active fc1", (h1 > 0).any(0).sum().item(), "fc2", (h2 > 0).any(0).sum().item(),
          "frac", (h1 > 0).float().mean().item(), (h2 > 0).float().mean().item())
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 25},
               out / "intake_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"],
           checkpoint="intake_mlp.pt", log="intake_log.jsonl",
           what="multi-label taxidermy intake MLP whose hidden biases start at -1 on [0, 1]"
                " inputs: ReLUs dead",
           complaint=("我们标本工作室的入库模型（根据登记卡上的10个数值预测四个处理步骤：脱脂、回软、"
                      "冷冻干燥、脱毛修补，多标签）训练了25个epoch几乎没有进步：训练BCE从0.69只降到"
                      "0.67左右，验证BCE 0.676，验证F1从第3个epoch起一直是0.355，完全匹配率0.09，"
                      "对每个标本给出的答案都一样。Adam 1e-3，batch 64，1536个样本。是数据太少"
                      "还是标签噪声太大？"))


if __name__ == "__main__":
    main()
