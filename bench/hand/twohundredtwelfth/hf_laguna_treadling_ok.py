"""Hugging Face Trainer: a tiny Laguna causal LM (``LagunaConfig``: vocabulary 12, hidden 32,
2 layers, 2 heads, 1 KV head, 4 experts of width 32, 2 per token, built from the config, no
download) learns treadling drafts of a 6-treadle floor loom. A draft row is a start token and
then one repeat unit (straight, point or broken twill, rosepath, a random 4-8 long unit) played
over and over to 32 treadle presses; once a repeat has been seen, the rest of the row is
predictable. AdamW 6e-3, 10 warm-up steps then linear decay, batch 32, 8 epochs of 512 rows,
eval every 16 steps (once per epoch), loss every 4 steps.
Healthy: eval loss 1.71, 1.48, 1.38, 1.33, 1.25, 1.18, 1.15, 1.12 at steps 16-128 (from ln 12 =
2.48 at the start); it keeps falling slowly and stays well above 0 because the first repeat of
every row, and the whole of a random unit's first pass, cannot be predicted; the train loss is
close to it."""
import torch
from transformers import LagunaConfig, LagunaForCausalLM, Trainer, TrainingArguments

V, T = 12, 33  # 0 pad (unused), 1 start, 2..7 treadles 1-6
UNITS = [[1, 2, 3, 4], [1, 2, 3, 4, 3, 2], [1, 2, 4, 3], [1, 2, 3, 4, 5, 6, 5, 4, 3, 2],
         [1, 2, 3, 4, 1, 4, 3, 2], [1, 3, 2, 4]]


def drafts(n, g):
    rows = []
    for _ in range(n):
        if torch.rand(1, generator=g) < 0.6:
            unit = UNITS[int(torch.randint(0, len(UNITS), (1,), generator=g))]
            shift = int(torch.randint(0, 6, (1,), generator=g))
            unit = [(u - 1 + shift) % 6 + 1 for u in unit]
        else:
            k = int(torch.randint(4, 9, (1,), generator=g))
            unit = (torch.randint(1, 7, (k,), generator=g)).tolist()
        seq = (unit * 40)[:T - 1]
        rows.append([1] + [u + 1 for u in seq])
    return torch.tensor(rows)


class Drafts(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = LagunaConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                          num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                          head_dim=16, max_position_embeddings=64, num_experts=4,
                          num_experts_per_tok=2, moe_intermediate_size=32,
                          shared_expert_intermediate_size=32, pad_token_id=0, bos_token_id=1,
                          eos_token_id=1)
    return LagunaForCausalLM(config)


def main():
    from _twohundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = drafts(512, g)
    xva = drafts(128, g)
    args = TrainingArguments(str(out / "treadling"), num_train_epochs=8, learning_rate=6e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=128,
                             logging_steps=4, eval_strategy="steps", eval_steps=16,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Drafts(xtr),
                      eval_dataset=Drafts(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "treadling").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Laguna causal LM on floor-loom treadling drafts, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
