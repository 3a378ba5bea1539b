"""Hugging Face Trainer: a tiny Mellum causal language model (``MellumConfig``: vocabulary 14,
hidden 32, 2 layers with dense MLPs, 2 heads, 1 KV head, built from the config, no download)
learns to continue the weft of a tapestry row: a row is a colour motif of 3–6 yarn colours
(10 colours, tokens 2–11) repeated across 32 picks after a start token, with 3 % of the picks
a wrong yarn (the weaver's slips). The first repeat of each motif is unpredictable, the rest
follows from it, so the loss floor is well above zero. AdamW 6e-3, 10 warm-up steps then
cosine decay, batch 32, 6 epochs of 768 rows, eval every 24 steps (once per epoch), loss every
6 steps; ``save_steps`` 72 keeps the last checkpoint.
Healthy: eval loss 1.75, 1.26, 0.97, 0.79, 0.71, 0.70 at steps 24–144; train loss 2.60 → 0.85
(above eval: the slips are only in training); the last two evals flatten with the cosine."""
import torch
from transformers import MellumConfig, MellumForCausalLM, Trainer, TrainingArguments

V, T = 14, 33


def rows(n, g, slip=0.0):
    x = torch.zeros(n, T, dtype=torch.long)
    x[:, 0] = 1
    for i in range(n):
        k = int(torch.randint(3, 7, (1,), generator=g))
        motif = torch.randint(2, 12, (k,), generator=g)
        x[i, 1:] = motif.repeat(T // k + 1)[:T - 1]
    wrong = torch.rand(n, T, generator=g) < slip
    wrong[:, 0] = False
    return torch.where(wrong, torch.randint(2, 12, (n, T), generator=g), x)


class Rows(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = MellumConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                          num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                          head_dim=16, max_position_embeddings=64, num_local_experts=4,
                          moe_intermediate_size=32, num_experts_per_tok=2,
                          mlp_layer_types=["dense", "dense"], pad_token_id=0, bos_token_id=1)
    return MellumForCausalLM(config)


def main():
    from _hundredninetyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = rows(768, g, slip=0.03)
    xva = rows(192, g)
    args = TrainingArguments(str(out / "weft"), num_train_epochs=6, learning_rate=6e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=72, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Rows(xtr), eval_dataset=Rows(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "weft").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Mellum causal LM continuing tapestry weft colour motifs, HF Trainer"
                " (healthy)")


if __name__ == "__main__":
    main()
