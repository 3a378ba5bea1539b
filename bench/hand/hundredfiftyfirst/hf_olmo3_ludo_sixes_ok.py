"""Hugging Face Trainer: a tiny OLMo-3 sequence classifier (``Olmo3Config``: vocab 8, hidden 32,
2 layers, 2 heads, intermediate 64, built from the config, no download) reads a Ludo player's
24 dice rolls (tokens 1–6, a BOS 7 in front) and says how many tokens that player could bring out
of the yard: 0, 1, 2 or 3+ sixes (4 classes). Rolls come from slightly loaded toy dice (six with
p 0.12–0.22 per die). AdamW 2e-3, weight decay 0.01, 10 warm-up steps then linear decay, batch
32, 10 epochs of 640 sequences, eval every 20 steps, loss logged every 10 steps.
Healthy, a little bumpy: counting has to be learned by attention. Eval accuracy 0.79, 0.77,
0.90, 0.98 at steps 20–80, a dip to 0.91 at step 100 (one train step with grad norm 53 right
after), then 0.996, 0.99, 0.996, 1.00, 1.00 at step 200; train loss 1.15 (step 10) → 0.04,
eval loss 0.034 at the end."""
import torch
from transformers import Olmo3Config, Olmo3ForSequenceClassification, Trainer, TrainingArguments

L = 24


def rolls(n, g):
    p6 = 0.12 + 0.10 * torch.rand(n, 1, generator=g)
    r = torch.randint(1, 6, (n, L), generator=g)
    six = torch.rand(n, L, generator=g) < p6
    r = torch.where(six, torch.full_like(r, 6), r)
    y = (r == 6).sum(1).clamp(max=3)
    return torch.cat([torch.full((n, 1), 7), r], 1), y


class Rolls(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = Olmo3Config(vocab_size=8, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=32,
                         pad_token_id=0, num_labels=4, sliding_window=32)
    return Olmo3ForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = rolls(640, g)
    xva, yva = rolls(256, g)
    args = TrainingArguments(str(out / "ludo"), num_train_epochs=10, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=10, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=100, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Rolls(xtr, ytr),
                      eval_dataset=Rolls(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "ludo").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny OLMo-3 counting sixes in Ludo dice rolls, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
