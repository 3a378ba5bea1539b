"""ConvLSTM next-frame predictor for moving dots (convlstm_dots_ok's model, data and loop):
clips of 16x16 frames with one or two Gaussian dots moving at constant speed and bouncing off
the walls. From the first 6 frames predict the 7th. One ConvLSTM cell (1 -> 16 channels, 3x3
gates) unrolled over the 6 frames, a 1x1 conv on the last hidden state, MSE, Adam 5e-3, batch
32, 6 epochs; frame noise 0.03 in the inputs. The log also holds the error of copying the last
input frame (the persistence baseline). Bug: the target is taken as ``data[:, SEQ - 1]`` (index
5, the last input frame, clean) instead of ``data[:, SEQ]`` (the 7th frame): the model learns to
denoise and copy its last input; val MSE tiny, and the dots never move when it is rolled
forward."""
import json

import torch
import torch.nn as nn

SIZE, SEQ = 16, 6


def clips(n, g):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    out = torch.zeros(n, SEQ + 1, 1, SIZE, SIZE)
    for i in range(n):
        for _ in range(int(torch.randint(1, 3, (1,), generator=g))):
            p = torch.rand(2, generator=g) * (SIZE - 4) + 2
            v = (torch.rand(2, generator=g) - 0.5) * 3
            for t in range(SEQ + 1):
                out[i, t, 0] += torch.exp(-((yy - p[0]) ** 2 + (xx - p[1]) ** 2) / 2.0)
                p = p + v
                for k in range(2):
                    if p[k] < 1 or p[k] > SIZE - 2:
                        v[k] = -v[k]
                        p[k] = p[k].clamp(1, SIZE - 2)
    return out.clamp(0, 1)


class ConvLSTMCell(nn.Module):
    def __init__(self, cin, hid):
        super().__init__()
        self.hid = hid
        self.gates = nn.Conv2d(cin + hid, 4 * hid, 3, padding=1)

    def forward(self, x, state):
        h, c = state
        i, f, o, gg = self.gates(torch.cat([x, h], 1)).chunk(4, 1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(gg)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, c


class NextFrame(nn.Module):
    def __init__(self, hid=16):
        super().__init__()
        self.cell = ConvLSTMCell(1, hid)
        self.out = nn.Conv2d(hid, 1, 1)

    def forward(self, x):  # x: (B, T, 1, H, W)
        b = x.shape[0]
        h = x.new_zeros(b, self.cell.hid, SIZE, SIZE)
        state = (h, h)
        for t in range(x.shape[1]):
            state = self.cell(x[:, t], state)
        return self.out(state[0])


def build():
    torch.manual_seed(0)
    return NextFrame()


def main():
    from _twentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data = clips(900, g)
    inputs = (data[:, :SEQ] + 0.03 * torch.randn(900, SEQ, 1, SIZE, SIZE, generator=g))
    target = data[:, SEQ - 1]
    tx, ty, vx, vy = inputs[:700], target[:700], inputs[700:], target[700:]
    copy_last = nn.functional.mse_loss(vx[:, -1], vy).item()
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    log = open(out / "train_log.jsonl", "w")
    step = 0
    for epoch in range(6):
        model.train()
        for idx in torch.randperm(700, generator=g).split(32):
            loss = nn.functional.mse_loss(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 5 == 0:
                log.write(json.dumps({"step": step, "epoch": epoch,
                                      "train_mse": round(loss.item(), 5)}) + "\n")
        model.eval()
        with torch.no_grad():
            val = nn.functional.mse_loss(model(vx), vy).item()
        log.write(json.dumps({"step": step, "epoch": epoch, "val_mse": round(val, 5),
                              "copy_last_mse": round(copy_last, 5)}) + "\n")
        print(epoch, round(loss.item(), 5), round(val, 5), round(copy_last, 5))
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch,
                "step": step}, out / "nextframe.pt")
    finish(out, __file__, (vx[:32], vy[:32]), causes=["task_trivial_or_leak"],
           checkpoint="nextframe.pt", log="train_log.jsonl",
           what="ConvLSTM next-frame predictor whose target is the last input frame "
                "(data[:, SEQ - 1] instead of data[:, SEQ])",
           complaint="val MSE is tiny (0.0003) but when I roll the predictor forward the dots "
                     "never move, every predicted frame is just the last frame again")


if __name__ == "__main__":
    main()
