"""Hugging Face Trainer: a tiny CTRL classifier (``CTRLConfig``: vocabulary 30, n_embd 32,
2 layers, 2 heads, dff 64, built from the config, no download) tells which part of a ballet
class a teacher's dictated combination belongs to (adagio, petit allegro, grand allegro) from
20 step tokens (plié, tendu, développé, promenade, arabesque, changement, échappé, assemblé,
glissade, grand jeté, tour jeté, pas de bourrée, ...). Each section draws its steps from its
own mix over a shared vocabulary (linking steps such as pas de bourrée and glissade occur in
all three), so the label is what the mix says, not one token; 5 % of the labels are wrong
(the teacher's notes). CTRL classifies from the last token (causal attention sees all 20).
AdamW 2e-3, 10 warm-up steps then linear decay, batch 32, 6 epochs of 640 combinations, eval
every 20 steps (once an epoch), loss every 5 steps.
Healthy, with a slow start: the train loss sits at 1.08–1.10 for the whole first epoch (eval
accuracy 0.30 at step 20), then eval accuracy 0.61, 0.73, 0.88, 0.92, 0.943 at steps 40–120,
eval loss 1.087 → 0.348; the train loss (0.46–0.59 in the last epoch) stays above it (the 5 %
wrong labels)."""
import torch
from transformers import CTRLConfig, CTRLForSequenceClassification, Trainer, TrainingArguments

V, T = 30, 20
# token ids 2..29: 2-9 adagio steps, 10-17 petit allegro, 18-25 grand allegro, 26-29 linking
MIX = torch.full((3, V), 0.0)
MIX[0, 2:10], MIX[1, 10:18], MIX[2, 18:26] = 3.0, 3.0, 3.0
MIX[:, 2:26] += 1.0
MIX[:, 26:30] = 4.0


def combinations(n, g, flip=0.0):
    y = torch.randint(0, 3, (n,), generator=g)
    x = torch.multinomial(MIX[y], T, replacement=True, generator=g)
    x[:, 0] = 1  # "from fifth position"
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class Combos(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = CTRLConfig(vocab_size=V, n_positions=64, n_embd=32, dff=64, n_layer=2, n_head=2,
                        pad_token_id=0, num_labels=3,
                        id2label={0: "adagio", 1: "petit_allegro", 2: "grand_allegro"},
                        label2id={"adagio": 0, "petit_allegro": 1, "grand_allegro": 2})
    return CTRLForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = combinations(640, g, flip=0.05)
    xva, yva = combinations(192, g)
    args = TrainingArguments(str(out / "ballet"), num_train_epochs=6, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Combos(xtr, ytr),
                      eval_dataset=Combos(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "ballet").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny CTRL ballet-class section classifier, HF Trainer, 5 % noisy labels"
                " (healthy)")


if __name__ == "__main__":
    main()
