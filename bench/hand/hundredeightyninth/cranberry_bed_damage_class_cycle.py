"""Plain torch: a small CNN (no BatchNorm) sorts 16×16 drone patches of a cranberry bog bed into
4 damage classes: healthy vines, sun scald (bright bleached blotch), fruit rot (dark speckles)
and frost burn (a pale band across the patch). Each patch is a green vine texture (smooth random
field + noise) with the class pattern drawn faintly at a random place and strength.
Conv(3→16)-ReLU-pool, Conv(16→32)-ReLU-pool, Linear(512→64)-ReLU-Linear(64→4); SGD momentum
0.9, lr 0.05, batch 32, 8 epochs of 1280 patches; per-step CSV, val loss/accuracy at each
epoch end.
The bug: to "balance the classes" the script has its own batch sampler; it draws the class
once per batch (``torch.randint(K, (1,)).expand(bs)``) instead of once per sample, so every
batch holds one damage class. Each step pushes the head towards that batch's class and the
model chases whichever class came last: per-step train loss 0.83–2.07 in the last epoch (0.73–
2.53 over the run), val accuracy 0.21–0.27 at every epoch (0.23 at the end: one class predicted
for every val patch, a different one from epoch to epoch), val loss 1.43–1.57 (1.57 at the
end). Control (``torch.randint(K, (self.bs,), generator=self.g)``, a class per sample): val
accuracy 0.82 after epoch 1, 0.95 at the end, val loss 0.14; train loss 0.01–0.56 in the last
epoch."""
import torch
import torch.nn as nn
import torch.nn.functional as F

K = 4


def patches(n, g):
    y = torch.randint(0, K, (n,), generator=g)
    base = F.interpolate(torch.rand(n, 1, 4, 4, generator=g), size=(16, 16), mode="bilinear")
    img = torch.cat([0.2 + 0.2 * base, 0.4 + 0.3 * base, 0.15 + 0.1 * base], 1)
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    for i in range(n):
        cy, cx = (3 + 10 * torch.rand(2, generator=g)).tolist()
        s = 0.25 + 0.35 * float(torch.rand(1, generator=g))
        if y[i] == 1:  # scald: bleached blotch
            img[i] += s * 0.6 * torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 6)
        elif y[i] == 2:  # rot: dark speckles
            img[i] -= s * 0.5 * (torch.rand(16, 16, generator=g) < 0.15).float()
        elif y[i] == 3:  # frost: pale band
            img[i, 2] += s * 0.7 * torch.exp(-((yy - cy) ** 2) / 3)
    img = img + 0.12 * torch.randn(img.shape, generator=g)
    return (img - 0.35) / 0.2, y


class ClassBalancedBatches(torch.utils.data.Sampler):
    def __init__(self, labels, batch_size, n_batches, seed=0):
        self.pools = [torch.nonzero(labels == c).flatten() for c in range(K)]
        self.bs, self.n, self.g = batch_size, n_batches, torch.Generator().manual_seed(seed)

    def __len__(self):
        return self.n

    def __iter__(self):
        for _ in range(self.n):
            c = torch.randint(K, (1,), generator=self.g).expand(self.bs)  # every class equally
            yield [int(self.pools[k][torch.randint(len(self.pools[k]), (1,), generator=self.g)])
                   for k in c]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(512, 64), nn.ReLU(), nn.Linear(64, K))


def main():
    from _hundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = patches(1536, g)
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_sampler=ClassBalancedBatches(ytr, 32, 40))
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    log = ["step,epoch,train_loss,val_loss,val_acc"]
    step = 0
    for epoch in range(8):
        model.train()
        for xb, yb in train:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            vl = va = ""
            if step % len(train) == 0:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                vl = f"{loss_fn(lv, yva).item():.4f}"
                va = f"{(lv.argmax(1) == yva).float().mean().item():.4f}"
                print(epoch, vl, va, torch.bincount(lv.argmax(1), minlength=K).tolist())
            log.append(f"{step},{epoch},{loss.item():.4f},{vl},{va}")
    (out / "bog_train.csv").write_text("\n".join(log) + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 8}, out / "bog_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["batch_single_class"],
           checkpoint="bog_cnn.pt", log="bog_train.csv",
           what="cranberry bed damage CNN; home-made class-balanced batch sampler gives one class"
                " per batch",
           complaint=("Drone patches of our cranberry beds, 4 classes (healthy, scald, rot, frost)."
                      " The training loss never settles, it jumps between about 0.8 and 2.1 from "
                      "step to step even after 8 epochs, and validation accuracy sits at 0.21-0.27"
                      " the whole time. Every epoch it calls every val patch the same class (a "
                      "different one each time). The classes are balanced. SGD 0.05 momentum 0.9,"
                      " batch 32."))


if __name__ == "__main__":
    main()
