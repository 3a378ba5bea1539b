"""Plain torch: an LSTM names the freestyle trick a monster truck pulled from the chassis IMU
(pitch rate, roll rate, yaw rate, vertical g; 40 samples at 20 Hz around the take-off): backflip,
cyclone (flat spin), sideways wheelie roll, nose wheelie, or a plain big-air jump (5 classes,
each with its own signature on one or two channels, plus noise and random timing). LSTM(4 → 32)
outputs averaged over time → Linear 32-32-5, SGD momentum 0.9 lr 0.05 with StepLR(8, 0.5),
CrossEntropyLoss, batch 25, 24 epochs of 1000 clips, validation on 250.
The bug: the head ends in ``nn.Softmax(dim=-1)`` ("the judges' app wants probabilities") while
the loss is ``nn.CrossEntropyLoss``, which does its own log-softmax. The
loss can only reach a floor far above 0 and its gradient is squashed, so the run sits at the
share of one class (0.184) for 12 epochs and then creeps: train loss 1.6086 → 1.3866, val loss 1.6108 →
1.4015, val accuracy flat for epochs 0–11 → 0.516 after 24 epochs. Control (the
``nn.Softmax(dim=-1)`` taken out of the head line): train loss 1.6103 → 0.0654, val loss 1.6166
→ 0.1638, val accuracy 0.184 → 0.94 (0.92–0.96 from epoch 8).
Log: CSV per epoch (``epoch`` / ``loss`` / ``val_loss`` / ``val_acc``); checkpoint
``trick_lstm.ckpt`` with ``model_state`` / ``sgd_state`` / ``sched_state`` / ``epoch``."""
import torch
import torch.nn as nn

T = 40


def clips(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    t = torch.linspace(0, 2, T)
    x = 0.6 * torch.randn(n, T, 4, generator=g)
    start = 0.4 + 0.6 * torch.rand(n, 1, generator=g)
    amp = 0.4 + 0.6 * torch.rand(n, 1, generator=g)
    bump = amp * torch.exp(-((t - start - 0.3) / 0.25) ** 2)
    x[:, :, 3] += 1.5 * torch.exp(-((t - start + 0.1) / 0.1) ** 2)   # take-off spike
    x[:, :, 0] += torch.where(y[:, None] == 0, 2 * bump, 0)          # backflip: pitch
    x[:, :, 2] += torch.where(y[:, None] == 1, 2 * bump, 0)          # cyclone: yaw
    x[:, :, 1] += torch.where(y[:, None] == 2, 1.5 * bump, 0)        # wheelie roll: roll
    x[:, :, 0] += torch.where(y[:, None] == 3, -1.2 * bump, 0)       # nose wheelie: -pitch
    x[:, :, 3] += torch.where(y[:, None] == 4, -1.5 * bump, 0)       # big air: low g
    return x, y


class TrickLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 32, batch_first=True)
        layers = [nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 5)]
        self.head = nn.Sequential(*layers, nn.Softmax(dim=-1))  # judges' app wants probabilities

    def forward(self, x):
        return self.head(self.lstm(x)[0].mean(1))


def build():
    torch.manual_seed(0)
    return TrickLSTM()


def main():
    from _twohundredsixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clips(1000, g)
    xva, yva = clips(250, g)
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=25, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)
    crit = nn.CrossEntropyLoss()
    with open(out / "tricks.csv", "w") as f:
        f.write("epoch,loss,val_loss,val_acc\n")
        for epoch in range(24):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = crit(model(xb), yb)
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            sched.step()
            model.eval()
            with torch.no_grad():
                o = model(xva)
            line = (f"{epoch},{tot / len(ytr):.4f},{crit(o, yva).item():.4f},"
                    f"{(o.argmax(1) == yva).float().mean().item():.4f}")
            f.write(line + "\n")
            print(line)
    torch.save({"model_state": model.state_dict(), "sgd_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 24}, out / "trick_lstm.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="trick_lstm.ckpt", log="tricks.csv",
           what="monster truck trick LSTM whose head ends in Softmax while training with"
                " CrossEntropyLoss",
           complaint=("我的 monster truck 特技分类 LSTM(5 类,车架 IMU 数据)训练不起来:"
                      "24 个 epoch 里 loss 只从 1.61 降到 1.39,val loss 还在 1.40,"
                      "验证准确率前 12 个 epoch 一直卡在 0.184,最后也才 0.52。"
                      "这些特技在陀螺仪曲线上一眼就能分出来,为什么模型学不会?"
                      "是 LSTM 太小还是学习率不对?"))


if __name__ == "__main__":
    main()
