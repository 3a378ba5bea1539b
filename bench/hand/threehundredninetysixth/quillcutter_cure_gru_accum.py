"""Plain torch: a GRU reads the barrel temperature of a goose quill while a quillcutter cures
it in hot sand ("dutching", which drives out the fat and hardens the barrel so the nib
holds a slit), and names the result before the quill is cut: soft (under-cured, the nib will
splay), good, or brittle (over-heated, the slit will crack). A thermocouple in the barrel is
read every 3 s for 2 min; the sand is heated to 150-200 °C, the barrel warms towards it with
a time constant set by the barrel's wall (12-30 s), the cutter pulls the quill out after 15-80
s and it cools in the air (time constant 20-40 s). The rule: the cure dose is the time-integral
of the barrel temperature above 70 °C; soft under 2000 °C·s, brittle over 5000 °C·s or when the
barrel passed 180 °C, good between. Thermocouple noise ± 1.5 °C, ambient 15-25 °C.
Input: (40, 1) per quill, temperature / 100 °C. Model: GRU 1→32 (batch first), last hidden
state, Linear 32→16, ReLU, Linear 16→3; cross-entropy, SGD 0.03 with momentum 0.9, batch 50,
14 epochs, 1500 quills, validation on 400.
The bug: ``opt.zero_grad()  # clear gradients before the epoch's batches`` sits at the top of
the epoch instead of in the batch loop, so each step's gradient is the sum of every batch so
far in the epoch (30 batches): with momentum the steps grow through the epoch and the run
thrashes: train CE 1.16 → 2.8-19, val CE 1.4 → 4-20, val acc jumping between 0.22, 0.35 and
0.44 (the class shares: one class for every quill) (control, the zero_grad moved to just
before ``loss.backward()``: train CE 1.07 → 0.25, val CE 1.07 → 0.15, val acc 0.44 → 0.96).
Log: TSV per epoch ``cure_gru.tsv`` (``epoch`` / ``train_ce`` / ``val_ce`` / ``val_acc`` /
``val_acc_brittle``); checkpoint ``quill_cure_gru.pt.tar`` with keys ``weights`` /
``sgd_state`` / ``epoch`` / ``temp_scale_c`` / ``classes``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T, DT = 40, 3.0


def cures(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = DT * torch.arange(T).float()
    amb = 15 + 10 * r(n, 1)
    sand = 150 + 50 * r(n, 1)
    tau_in, tau_out = 12 + 18 * r(n, 1), 20 + 20 * r(n, 1)
    pull = 15 + 65 * r(n, 1)
    heat = amb + (sand - amb) * (1 - torch.exp(-t / tau_in))
    at_pull = amb + (sand - amb) * (1 - torch.exp(-pull / tau_in))
    cool = amb + (at_pull - amb) * torch.exp(-(t - pull).clamp(min=0) / tau_out)
    temp = torch.where(t <= pull, heat, cool)
    dose = ((temp - 70).clamp(min=0) * DT).sum(1)
    cls = torch.ones(n, dtype=torch.long)
    cls[dose < 2000] = 0
    cls[(dose > 5000) | (temp.max(1).values > 180)] = 2
    reading = temp + 1.5 * torch.randn(n, T, generator=g)
    return (reading / 100.0).unsqueeze(2), cls


class CureGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 3))

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return CureGRU()


def main():
    from _threehundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cures(1500, g)
    xva, yva = cures(400, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    with open(out / "cure_gru.tsv", "w") as log:
        log.write("epoch\ttrain_ce\tval_ce\tval_acc\tval_acc_brittle\n")
        for epoch in range(14):
            model.train()
            opt.zero_grad()  # clear gradients before the epoch's batches
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = [tot / len(xtr), F.cross_entropy(logits, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 2] == 2).float().mean().item()]
            log.write(f"{epoch}\t" + "\t".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 14,
                "temp_scale_c": 100.0, "classes": ["soft", "good", "brittle"]},
               out / "quill_cure_gru.pt.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_zero_grad"],
           checkpoint="quill_cure_gru.pt.tar", log="cure_gru.tsv",
           what="GRU naming a goose quill soft / good / brittle from its barrel temperature"
                " during sand curing; zero_grad once per epoch, gradients summed over batches",
           complaint="我训练了一个 GRU，根据沙中固化时羽管的温度曲线判断羽毛笔是软、合格还是脆。"
                     "第一个 epoch 训练损失 1.16，之后不降反升，一直在 3 到 19 之间乱跳；验证损失"
                     "在 4 到 20 之间跳，验证准确率只在 0.22、0.35、0.44 之间来回变（正好是三个"
                     "类别各自的比例），每个 epoch 都把所有羽毛笔判成同一类。三类样本比较均衡"
                     "（417/686/397），数据曲线我也画图检查过，看起来没问题。请问这是什么原因？")


if __name__ == "__main__":
    main()
