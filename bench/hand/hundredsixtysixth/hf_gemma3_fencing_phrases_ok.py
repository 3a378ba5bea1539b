"""Hugging Face Trainer: a tiny Gemma 3 text classifier (``Gemma3TextConfig``: vocabulary 24,
hidden 32, 2 layers, 2 heads, 1 KV head, built from the config, no download) labels fencing
phrases written by a referee's tablet as 16 action tokens (advance, retreat, lunge, beat,
parry-4, parry-6, riposte, counter-attack, remise, ...) with who gets the touch: attack
(right-of-way to the attacker), parry-riposte or counter-attack. A phrase is filler footwork
with the deciding pattern (e.g. lunge → parry → riposte) placed at a random position, plus 5 %
wrong labels. AdamW 3e-3, 10 warm-up steps then linear decay, batch 32, 6 epochs of 640
phrases, eval every 20 steps, loss every 5 steps.
Healthy: eval accuracy 0.83, 0.95, 1.00, 1.00, 1.00, 0.995 at steps 20–120 (one eval per
epoch), eval loss 0.56 → 0.06; the train loss stays above it (the 5 % wrong labels)."""
import torch
from transformers import (
    Gemma3TextConfig,
    Gemma3TextForSequenceClassification,
    Trainer,
    TrainingArguments,
)

V, T = 24, 16
FILLER = list(range(3, 12))
PATTERNS = {0: [12, 13, 14], 1: [12, 15, 16], 2: [12, 17, 18]}


def phrases(n, g, flip=0.0):
    x = torch.tensor(FILLER)[torch.randint(0, len(FILLER), (n, T), generator=g)]
    y = torch.randint(0, 3, (n,), generator=g)
    pos = torch.randint(1, T - 3, (n,), generator=g)
    for i in range(n):
        x[i, pos[i]:pos[i] + 3] = torch.tensor(PATTERNS[int(y[i])])
        if torch.rand(1, generator=g) < 0.5:  # a second, unfinished lunge elsewhere
            j = int(torch.randint(0, T, (1,), generator=g))
            if j < pos[i] - 1 or j > pos[i] + 3:
                x[i, j] = 12
    x[:, 0] = 1  # "en garde" token
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 3, (n,), generator=g)) % 3, y)
    return x, y


class Phrases(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = Gemma3TextConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                              num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                              head_dim=16, max_position_embeddings=64, sliding_window=16,
                              pad_token_id=0, num_labels=3,
                              id2label={0: "attack", 1: "parry_riposte", 2: "counter_attack"},
                              label2id={"attack": 0, "parry_riposte": 1, "counter_attack": 2})
    return Gemma3TextForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = phrases(640, g, flip=0.05)
    xva, yva = phrases(192, g)
    args = TrainingArguments(str(out / "fencing"), num_train_epochs=6, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Phrases(xtr, ytr),
                      eval_dataset=Phrases(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "fencing").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Gemma 3 fencing-phrase right-of-way classifier, HF Trainer, 5 % noisy labels"
                " (healthy)")


if __name__ == "__main__":
    main()
